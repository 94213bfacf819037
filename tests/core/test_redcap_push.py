"""`tace-log push --redcap`: the records sent through REDCap's API in batches, in normal mode, site-prefixed; a dry
run; a refused record said and the others sent; a wrong token or an unreachable server said.

No REDCap server runs here. As PyCap's own unit tests do, the API is answered with REDCap's recorded answers (a
`{"count": n}` for an import, the stored rows for an export, `{"error": ...}` with HTTP 400 or 403), here by a real
HTTP server on localhost, so the client's requests go through a real socket and are read back as REDCap reads them
(form fields)."""

from __future__ import annotations

import json
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tace_log import exports
from tace_log.cli import main

from .export_support import export_logbook, read_csv

TOKEN = "0123456789ABCDEF0123456789ABCDEF"
# REDCap's answers (PyCap tests/unit/callback_utils.py answers the same shapes)
NO_PERMISSION = "You do not have permissions to use the API"


class Redcap:
    """What the project holds, and every request it was sent (its form fields)."""

    def __init__(self):
        self.rows: dict[tuple[str, str, str], dict[str, str]] = {}
        self.requests: list[dict[str, list[str]]] = []
        self.refuse: set[str] = set()  # record_ids whose import REDCap refuses

    def answer(self, fields: dict[str, list[str]]) -> tuple[int, object]:
        self.requests.append(fields)
        if fields.get("token") != [TOKEN]:
            return 403, {"error": NO_PERMISSION}
        action = fields["action"][0]
        if action == "export":
            wanted = {v[0] for k, v in fields.items() if k.startswith("records[")}  # records[0], records[1], ...
            return 200, [row for key, row in self.rows.items() if key[0] in wanted]
        rows = json.loads(fields["data"][0])
        bad = sorted({r["record_id"] for r in rows} & self.refuse)
        if bad:
            return 400, {"error": f'"{bad[0]}","proc_cycle","11","The value you provided is outside the suggested '
                                  f'range (1 - 10)."'}
        for row in rows:
            key = (row["record_id"], row["redcap_repeat_instrument"], str(row["redcap_repeat_instance"]))
            self.rows[key] = {**self.rows.get(key, {}), **{k: v for k, v in row.items() if v != ""}}
        return 200, {"count": len({r["record_id"] for r in rows})}


@pytest.fixture
def redcap():
    project = Redcap()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 (http.server's name)
            length = int(self.headers["Content-Length"])
            fields = urllib.parse.parse_qs(self.rfile.read(length).decode("utf-8"), keep_blank_values=True)
            status, body = project.answer(fields)
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    project.url = f"http://127.0.0.1:{server.server_port}/api/"
    yield project
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture
def book(tmp_path):
    (tmp_path / "token").write_text(TOKEN + "\n", encoding="utf-8")
    with export_logbook(tmp_path / "logbook.sqlite") as logbook:
        yield logbook


def _push(book, redcap, tmp_path, *options):
    return main(["--db", str(book.path), "push", "--redcap", redcap.url, "--token-file", str(tmp_path / "token"),
                 *options])


def test_a_push_sends_the_records_file_rows_in_normal_mode_with_the_site_prefix(book, redcap, tmp_path, capsys):
    exports.write(book, "redcap", tmp_path / "rc")
    expected = read_csv(tmp_path / "rc" / "records.csv")
    assert _push(book, redcap, tmp_path, "--site", "SH01", "--batch", "1") == 0
    imports = [r for r in redcap.requests if r["action"] == ["import"]]
    assert len(imports) == book.counts()["patients"] == 2  # one request per batch of one patient
    for fields in imports:
        assert (fields["overwriteBehavior"], fields["type"], fields["format"], fields["returnContent"]) == (
            ["normal"], ["flat"], ["json"], ["count"])
    sent = [row for fields in imports for row in json.loads(fields["data"][0])]
    assert sent == [{**row, "record_id": "SH01-" + row["record_id"]} for row in expected]
    out = capsys.readouterr()
    assert "2 patients; rows " in out.out and "REDCap imported 2" in out.out
    assert "2 of 2 patients" in out.err  # the progress, batch by batch


def test_a_dry_run_sends_nothing_and_says_what_would_change(book, redcap, tmp_path, capsys):
    assert _push(book, redcap, tmp_path) == 0
    capsys.readouterr()
    first = book.find_patient_by_mrn("HS-2024-0007")
    first.weight_kg = 71
    book.save_patient(first)
    before = len(redcap.requests)
    assert _push(book, redcap, tmp_path, "--dry-run") == 0
    assert all(r["action"] == ["export"] for r in redcap.requests[before:])
    out = capsys.readouterr().out
    assert "dry run, nothing sent" in out and "change 1 (" in out and "add 0 rows" in out
    assert f"  {first.id} record: weight_kg" in out


def test_a_refused_record_is_said_and_the_others_are_sent(book, redcap, tmp_path, capsys):
    refused = book.find_patient_by_mrn("HS-2024-0007")
    redcap.refuse = {refused.id}
    assert _push(book, redcap, tmp_path) == 2
    err = capsys.readouterr().err
    assert f"refused: record {refused.id}: REDCap at {redcap.url} refused the request (HTTP 400)" in err
    assert "outside the suggested range (1 - 10)" in err
    stored = {key[0] for key in redcap.rows}
    assert refused.id not in stored and len(stored) == 1  # the other patient went in


def test_a_wrong_token_or_no_server_is_said_and_nothing_more_is_sent(book, redcap, tmp_path, capsys):
    (tmp_path / "token").write_text("F" * 32, encoding="utf-8")
    assert _push(book, redcap, tmp_path) != 0
    err = capsys.readouterr().err
    assert f"refused the request (HTTP 403): {NO_PERMISSION}" in err and len(redcap.requests) == 1
    (tmp_path / "token").write_text("not a token", encoding="utf-8")
    assert _push(book, redcap, tmp_path) != 0
    assert "must be 32 hexadecimal characters" in capsys.readouterr().err
    (tmp_path / "token").write_text(TOKEN, encoding="utf-8")
    assert main(["--db", str(book.path), "push", "--redcap", "http://127.0.0.1:9/api/", "--token-file",
                 str(tmp_path / "token")]) != 0
    assert "cannot reach REDCap at http://127.0.0.1:9/api/" in capsys.readouterr().err
