"""Nothing but SQLite opens a logbook file that this process has an SQLite connection to.

Closing any other descriptor of that file drops every POSIX lock the process holds on it (sqlite.org/howtocorrupt.html
section 2.2): the next `tace-log` beside the app then took itself for the last user, deleted the -wal under the app,
and the app's acknowledged saves were lost (tests/ui/test_app_beside_cli.py shows it with real processes). So
every raw open in the code goes through `connection.raw_access`, which refuses a live file, or opens a file that
is never a logbook; a new one fails here until it is one or the other.
"""

from __future__ import annotations

import builtins
import io
import re
from pathlib import Path

import pytest

from tace_log.errors import LogbookError, TaceLogError
from tace_log.files import raw_access
from tace_log.storage import Logbook

ROOT = Path(__file__).resolve().parents[2]
RAW_OPEN = re.compile(r"(?<![\w.])open\(|\.open\((?!\))|read_bytes\(|read_text\(|write_bytes\(|write_text\(|"
                      r"shutil\.copy|copyfile\(|os\.open\(|fdopen\(|mmap\(")
# Raw opens of files that are never a logbook, each with what it opens.
NEVER_A_LOGBOOK = {
    ("tace_log/protocol.py", "path.read_text("): "the protocol file",
    ("tace_log/formulary.py", "path.read_text("): "the formulary file",
    ("tace_log/catalogues.py", "path.read_text("): "the lab or adverse-event catalogue file",
    ("tace_log/settings.py", "path.read_text("): "tace-log-settings.json",
    ("tace_log/drafts.py", "path.read_text("): "a draft file in drafts/",
    ("tace_log/interchange.py", "Path(path).read_text("): "the JSON document to import",
    ("tace_log/files.py", "os.fdopen("): "atomic_file's own new temporary file",
    ("tace_log/storage/connection.py", "MOUNTS_FILE.read_text("): "/proc/mounts",
    ("tace_log/storage/holders.py", 'Path(f"/proc/{pid}/cmdline").read_bytes('): "a process's command line",
    ("tace_log/storage/holders.py", "app_lock_path(logbook_path).read_text("): "the app's lock file",
    ("tace_log/storage/holders.py", "LOCKS_FILE.read_text("): "/proc/locks",
    ("tace_log/storage/heads.py", "os.open(head_file(path)"): "the audit trail's head file beside the logbook",
    ("tace_log/storage/heads.py", "source.read_text("): "a head file (of the logbook or of a backup)",
    ("tace_log/exports/odm.py", "shutil.copyfileobj(clinical, out)"): "the clinical data's own temporary file",
    ("tace_log/package.py", "(root / JSON_FILE).open("): "the package's JSON in its own temporary folder",
    ("tace_log/package.py", "(root / name).read_bytes("): "a file of the package's own temporary folder",
    ("tace_log/package.py", '(folder / f"{image.sha256}{suffix}").write_bytes('):
        "a key image written into the package's own temporary folder",
    ("tace_log/key_images.py", "Image.open(io.BytesIO(data))"): "an image's bytes, already in memory",
}


def _raw_opens() -> list[tuple[str, int, str]]:
    found = []
    for source in sorted([*ROOT.joinpath("tace_log").rglob("*.py"), *ROOT.joinpath("ui").rglob("*.py")]):
        name = source.relative_to(ROOT).as_posix()
        for number, line in enumerate(source.read_text(encoding="utf-8").splitlines(), start=1):
            code = line.split("#")[0]
            if RAW_OPEN.search(code) and "raw_access(" not in code and "Logbook.open(" not in code \
                    and not re.search(r"\b(dialog|box|buffer|self)\.open\(|def open\(", code):
                found.append((name, number, code.strip()))
    return found


def test_every_raw_open_goes_through_raw_access_or_opens_a_file_that_is_never_a_logbook():
    unexplained = [f"{name}:{number}: {code}" for name, number, code in _raw_opens()
                   if not any(name == where and snippet in code for where, snippet in NEVER_A_LOGBOOK)]
    assert unexplained == [], "a raw open of what may be a live logbook:\n" + "\n".join(unexplained)
    explained = {(name, snippet) for name, _, code in _raw_opens() for where, snippet in NEVER_A_LOGBOOK
                 if name == where and snippet in code}
    assert explained == set(NEVER_A_LOGBOOK), "a listed raw open is gone: take it off the list"


def test_raw_access_refuses_a_logbook_this_process_has_open(tmp_path):
    path = tmp_path / "logbook.sqlite"
    with Logbook.open(path):
        for name in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            with pytest.raises(LogbookError, match="is open in this program"):
                raw_access(name)
    assert raw_access(path) == path  # closed: a copy of it may be read again


def test_the_apps_background_check_never_opens_the_live_logbook_but_through_sqlite(tmp_path, monkeypatch):
    path = tmp_path / "logbook.sqlite"
    Logbook.open(path).close()
    with Logbook.open(path, quick_check=False):  # as the app opens it; the check then runs beside it
        opened = []
        real_open = io.open

        def watching(file, *args, **kwargs):
            if str(file).startswith(str(path)):
                opened.append(file)
            return real_open(file, *args, **kwargs)

        monkeypatch.setattr(builtins, "open", watching)
        monkeypatch.setattr(io, "open", watching)
        Logbook.check_file(path)
        assert opened == []


def test_an_export_report_or_csv_never_replaces_a_database(tmp_path, capsys, typical_document):
    from tace_log.cli import main

    document = tmp_path / "doc.json"
    document.write_text(__import__("json").dumps(typical_document), encoding="utf-8")
    path = tmp_path / "logbook.sqlite"
    assert main(["--db", str(path), "import", str(document)]) == 0
    capsys.readouterr()  # what the import said (the protocol in force, its summary)
    procedure = typical_document["patients"][0]["procedures"][0]["id"]
    before = path.read_bytes()
    for argv in (["export", "-o", str(path)], ["schema", "-o", str(path)], ["report", procedure, "-o", str(path)],
                 ["audit", "export", "-o", str(path)]):
        assert main(["--db", str(path), *argv]) == 1, argv
        err = capsys.readouterr().err.strip()
        assert len(err.splitlines()) == 1 and ("is a database" in err or "is open in this program" in err), err
    assert path.read_bytes() == before
    with Logbook.open(path) as book:  # and beside an open connection, not even its header is read
        for name in (path, f"{path}-wal"):
            assert main(["--db", str(path), "export", "-o", str(name)]) == 1
            err = capsys.readouterr().err
            assert "is open in this program" in err or "belongs to the database beside it" in err, err
        assert book.counts()["procedures"] == 1


def test_a_logo_that_is_the_logbook_is_never_opened_beside_its_connection(report_logbook):
    from tace_log.reports.report_file import procedure_report
    from tace_log.settings import SETTINGS_FILENAME

    settings = report_logbook.path.with_name(SETTINGS_FILENAME)
    settings.write_text('{"report": {"logo": "logbook.sqlite"}}', encoding="utf-8")
    procedure = report_logbook.worklist.rows()[0].procedure_id
    with pytest.raises(LogbookError, match="is open in this program"):
        procedure_report(report_logbook, procedure)
    settings.write_text('{"report": {"logo": "tace-log-settings.json"}}', encoding="utf-8")
    with pytest.raises(TaceLogError, match="report.logo .* is not a PNG or JPEG image"):
        procedure_report(report_logbook, procedure)
