"""CSV export: one file per entity and a codebook, read back into the same records as the tace-log/2 export."""

from __future__ import annotations

from collections import defaultdict

import pytest

from tace_log import exports
from tace_log.cli import main
from tace_log.dictionary import entities
from tace_log.exports import csv_files

from .export_support import export_logbook, json_export, read_csv


@pytest.fixture
def book(tmp_path):
    with export_logbook(tmp_path / "logbook.sqlite") as logbook:
        yield logbook


def _value(kind: str, text: str):
    """A CSV cell back in document form, by the codebook's type."""
    if kind in ("multi_choice", "dates"):
        return text.split(csv_files.LIST_SEPARATOR) if text else []
    if text == "":
        return None
    if kind == "int":
        return int(text)
    if kind == "number":
        number = float(text)
        return int(number) if number.is_integer() else number
    if kind == "bool":
        return {"1": True, "0": False}[text]
    return text


def rebuild(folder) -> list[dict]:
    """The patients' documents from the CSV files alone: the codebook's types, the ids, parents and positions."""
    types = {(row["file"], row["column"]): row["type"] for row in read_csv(folder / csv_files.CODEBOOK)}
    docs: dict[str, dict[str, dict]] = {}
    for entity in entities():
        name = csv_files.file_name(entity)
        by_id = docs[entity.key] = {}
        for row in read_csv(folder / name):
            doc = {"id": row["id"]} if entity.own_id else {}
            doc.update({f.key: _value(types[name, f.key], row[f.key]) for f in entity.fields})
            doc["_parent"], doc["_position"] = row.get(f"{entity.parent}_id"), int(row.get("position") or 0)
            by_id[row["id"]] = doc
    for entity in reversed(list(entities())):  # children into their parents, deepest first
        if entity.parent is None:
            continue
        lists: dict[str, list[dict]] = defaultdict(list)
        for doc in docs[entity.key].values():
            lists[doc.pop("_parent")].append(doc)
        for parent_id, parent in docs[entity.parent].items():
            found = sorted(lists.get(parent_id, []), key=lambda d: d["_position"])
            for d in found:
                del d["_position"]
            parent[entity.document_key] = found if entity.many else (found[0] if found else None)
    patients = list(docs["patient"].values())
    for p in patients:
        del p["_parent"], p["_position"]
    return patients


def test_the_csv_files_rebuild_the_records_of_the_json_export(book, tmp_path):
    counts = exports.write(book, "csv", tmp_path / "out", batch=1)  # a batch per patient: the stream's seams too
    expected = json_export(book)["patients"]
    for patient in expected:
        for procedure in patient["procedures"]:
            del procedure["signature"], procedure["addenda"], procedure["entered_in_error"]
    assert rebuild(tmp_path / "out") == expected
    assert counts["labs.csv"] == 4 and counts["complications.csv"] == 4 and counts["patients.csv"] == 2


def test_each_file_is_utf8_with_a_bom_iso_dates_and_ids_of_its_own_and_its_parent(book, tmp_path):
    exports.write(book, "csv", tmp_path / "out")
    names = {csv_files.file_name(e) for e in entities()} | {csv_files.CODEBOOK}
    assert {p.name for p in (tmp_path / "out").iterdir()} == names
    for name in names:
        assert (tmp_path / "out" / name).read_bytes().startswith(b"\xef\xbb\xbf"), name
    assert "林晓明" in (tmp_path / "out" / "patients.csv").read_text(encoding="utf-8-sig")
    agents = read_csv(tmp_path / "out" / "agents.csv")
    procedures = {row["id"]: row for row in read_csv(tmp_path / "out" / "procedures.csv")}
    assert all(row["procedure_id"] in procedures and row["id"].startswith(row["procedure_id"] + "/agents/")
               for row in agents)
    assert [row["position"] for row in agents[:3]] == ["1", "2", "3"]
    labs = read_csv(tmp_path / "out" / "labs.csv")
    assert labs[0]["date"] == "2024-09-11" and labs[2]["qualifier"] == "<"


def test_the_codebook_names_every_column_with_its_labels_type_unit_and_choices(book, tmp_path):
    exports.write(book, "csv", tmp_path / "out")
    codebook = {(row["entity"], row["column"]): row for row in read_csv(tmp_path / "out" / csv_files.CODEBOOK)}
    assert set(codebook) == {(e.key, f.key) for e in entities() for f in e.fields} | {("procedure", "record_status")}
    staining = codebook["procedure", "tumor_staining"]
    assert staining["label_zh"] == "肿瘤染色" and staining["type"] == "choice"
    assert staining["choices_en"] == "present, present | absent, absent | equivocal, equivocal"
    assert staining["choices_zh"] == "present, 有 | absent, 无 | equivocal, 可疑"
    assert codebook["procedure", "dap_gycm2"]["unit"] == "Gy·cm²"
    assert "lenvatinib_tace, " in codebook["patient", "arm"]["choices_en"]  # a list from the protocol file
    assert codebook["dose_period", "dose_mg"]["choices_en"] == "12, 12 mg | 8, 8 mg | 4, 4 mg"


def test_the_command_writes_the_folder(book, tmp_path, capsys):
    book.close()
    assert main(["--db", str(tmp_path / "logbook.sqlite"), "export", "--format", "csv", "-o",
                 str(tmp_path / "cli")]) == 0
    assert "exported 2 patients as csv" in capsys.readouterr().err
    assert len(read_csv(tmp_path / "cli" / "labs.csv")) == 4


def test_a_folder_format_needs_a_folder(book, tmp_path, capsys):
    book.close()
    assert main(["--db", str(tmp_path / "logbook.sqlite"), "export", "--format", "redcap"]) == 1
    assert "give a folder with -o DIR" in capsys.readouterr().err
