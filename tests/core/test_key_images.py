"""Key images (issue 20, item 3): PNG or JPEG files attached to a procedure, kept in the logbook by their SHA-256,
covered by the signature, printed in the report with captions, carried by tace-log/2 and the package."""

from __future__ import annotations

import base64
import copy
import hashlib
import io
import json
import sqlite3
import subprocess
import zipfile

import pypdf
import pytest

from tace_log import interchange, package
from tace_log.cli import main
from tace_log.dictionary import KEY_IMAGE
from tace_log.errors import InvalidInputError, LogbookCorruptError, RecordLockedError
from tace_log.exports import Deidentification
from tace_log.key_images import KeyImageError, identify
from tace_log.model import record_class
from tace_log.reports import build_report
from tace_log.reports.report_file import key_image_bytes, procedure_report
from tace_log.settings import SETTINGS_FILENAME, load_key_image_limit_mb, save_key_image_limit_mb
from tace_log.storage import Logbook

from ..image_samples import angiogram, jpeg
from .signing_support import PASSWORD, signable_logbook
from .test_report import A4_HEIGHT, SIGNATURE, page_words
from .test_signed_records import _forge

KeyImage = record_class(KEY_IMAGE)


@pytest.fixture
def draft(tmp_path):
    logbook, patient, procedure = signable_logbook(tmp_path / "here.sqlite")
    yield logbook, patient, procedure
    logbook.close()


def _attach(logbook, procedure, *images: tuple[bytes, str | None]):
    """Store each image and save the procedure naming them, as the form and `tace-log key-image` do."""
    stored = [(logbook.key_images.store(data, f"frame{i}"), caption) for i, (data, caption) in enumerate(images)]
    updated = logbook.get_procedure(procedure.id).replace(key_images=[
        KeyImage(caption=caption, media_type=image.media_type, sha256=image.sha256) for image, caption in stored])
    logbook.save_procedure(updated)
    return [image for image, _ in stored]


def _dicom() -> bytes:
    """An X-ray angiography DICOM file, as pydicom writes one."""
    from pydicom.dataset import Dataset, FileMetaDataset
    from pydicom.uid import ExplicitVRLittleEndian, generate_uid

    ds = Dataset()
    ds.file_meta = FileMetaDataset()
    ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds.file_meta.MediaStorageSOPClassUID = ds.SOPClassUID = "1.2.840.10008.5.1.4.1.1.12.1"
    ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID = generate_uid()
    ds.PatientName = "Test^Patient"
    out = io.BytesIO()
    ds.save_as(out, enforce_file_format=True)
    return out.getvalue()


# -- what an image must be ----------------------------------------------------------------------------------
def test_a_png_and_a_jpeg_are_taken_with_their_size_and_hash():
    png, jpg = angiogram((120, 80)), jpeg((64, 64))
    found = identify(png, "a.png")
    assert (found.sha256, found.media_type, found.width, found.height) == (hashlib.sha256(png).hexdigest(), "png",
                                                                          120, 80)
    assert identify(jpg, "b.jpg").media_type == "jpeg"


@pytest.mark.parametrize("data, said", [
    (b"%PDF-1.7 not an image", "notes.pdf is not a PNG or JPEG image"),
    (angiogram()[:200], "notes.pdf is a damaged image and cannot be read"),
    (_dicom(), "notes.pdf is a DICOM file: DICOM key images are not taken yet"),
])
def test_a_file_that_is_not_a_key_image_is_refused_saying_what_it_is(data, said):
    with pytest.raises(KeyImageError, match=said):
        identify(data, "notes.pdf")


def test_the_size_limit_comes_from_the_settings_with_ten_mb_by_default(draft):
    logbook, _, _ = draft
    assert load_key_image_limit_mb(logbook.path) == 10.0
    save_key_image_limit_mb(logbook.path, 0.001)
    assert json.loads((logbook.path.parent / SETTINGS_FILENAME).read_text())["key_image_max_mb"] == 0.001
    data = angiogram((400, 300))
    with pytest.raises(KeyImageError, match=r"frame.png is 0\.0 MB: a key image may be at most 0.001 MB"):
        logbook.key_images.store(data, "frame.png", load_key_image_limit_mb(logbook.path))
    assert logbook.key_images.stored([hashlib.sha256(data).hexdigest()]) == {}  # nothing stored


# -- stored, saved, signed ------------------------------------------------------------------------------------
def test_an_attached_image_is_kept_once_and_read_back_by_its_hash(draft):
    logbook, _, procedure = draft
    data = angiogram()
    first, again = logbook.key_images.store(data, "a.png"), logbook.key_images.store(data, "copy.png")
    assert first.sha256 == again.sha256 and logbook.key_images.data(first.sha256) == data
    with sqlite3.connect(logbook.path) as conn:
        assert conn.execute("SELECT count(*) FROM key_image_files").fetchone() == (1,)
    conn.close()
    _attach(logbook, procedure, (data, "stain in VI"), (jpeg(), None))
    stored = logbook.get_procedure(procedure.id).key_images
    assert [(i.caption, i.media_type) for i in stored] == [("stain in VI", "png"), (None, "jpeg")]
    history = [e for e in logbook.audit.history(procedure.id) if e.table_name == "key_images"]
    assert [e.action for e in history] == ["insert", "insert"]  # each attached image is audited
    assert stored[0].sha256 in str(history[0].new_value)


def test_a_procedure_naming_an_image_the_logbook_lacks_or_of_another_type_is_not_saved(draft):
    logbook, _, procedure = draft
    png = logbook.key_images.store(angiogram(), "a.png")
    for image, path, said in [
        (KeyImage(media_type="png", sha256="0" * 64), "key_images[0].sha256", "the image 000000000000 is not in"),
        (KeyImage(media_type="jpeg", sha256=png.sha256), "key_images[0].media_type", "the image is a PNG file"),
    ]:
        with pytest.raises(InvalidInputError) as refused:
            logbook.save_procedure(logbook.get_procedure(procedure.id).replace(key_images=[image]))
        found = [f for f in refused.value.findings if f.severity == "error"]
        assert [f.path for f in found] == [path] and said in str(found[0].said)
        assert logbook.get_procedure(procedure.id).key_images == []


def test_the_signature_covers_the_images_and_their_bytes_are_checked_on_every_read(draft, tmp_path):
    logbook, _, procedure = draft
    png, _ = _attach(logbook, procedure, (angiogram(), "stain"), (jpeg(), "after"))
    logbook.signing.sign(procedure.id, "chen", PASSWORD)
    assert png.sha256 in logbook.signing.signature_of(procedure.id).content  # the hash is what was signed
    with pytest.raises(RecordLockedError):
        logbook.save_procedure(logbook.get_procedure(procedure.id).replace(key_images=[]))
    with pytest.raises(sqlite3.IntegrityError, match="never changed or deleted"):
        with sqlite3.connect(logbook.path) as conn:
            conn.execute("DELETE FROM key_image_files")
    conn.close()
    assert logbook.signing.intact(procedure.id)
    _forge(logbook.path, "DROP TRIGGER append_only_key_image_files_update",
           f"UPDATE key_image_files SET data = X'{jpeg(shade=10).hex()}' WHERE sha256 = '{png.sha256}'")
    check = logbook.signing.check(procedure.id)
    assert not check.ok and "key image 1's bytes no longer match its SHA-256" in check.describe()
    verified = logbook.signing.verify()
    assert not verified.ok and "key image 1's bytes no longer match" in verified.failures[0]
    with pytest.raises(LogbookCorruptError):
        logbook.key_images.data(png.sha256)


def test_the_report_prints_each_image_with_its_number_and_caption(draft, pdf_pages_text):
    logbook, _, procedure = draft
    _attach(logbook, procedure, (angiogram((1024, 768)), "Tumour stain, segment VI"), (jpeg((512, 512)), None))
    pdf = procedure_report(logbook, procedure.id)
    text = "\n".join(pdf_pages_text(pdf))
    assert "Key images" in text and "Image 1 · Tumour stain, segment VI" in text and "Image 2" in text
    listed = subprocess.run(["pdfimages", "-list", "-"], input=pdf, capture_output=True, check=False)
    if listed.returncode:  # poppler's pdfimages reads a file, not stdin
        path = logbook.path.with_name("report.pdf")
        path.write_bytes(pdf)
        listed = subprocess.run(["pdfimages", "-list", str(path)], capture_output=True, check=True)
    sizes = [tuple(line.split()[3:5]) for line in listed.stdout.decode().splitlines()[2:]]
    assert sorted(sizes) == [("1024", "768"), ("512", "512")]  # the images themselves, not thumbnails
    zh = "\n".join(pdf_pages_text(procedure_report(logbook, procedure.id, language="zh")))
    assert "关键图像" in zh and "图1" in zh


BODY_BOTTOM = A4_HEIGHT - (14 + 10) * 72 / 25.4  # points from the top: the report's bottom margin and footer
SECTION_ROOM = 22 * 72 / 25.4  # the room a heading with a line or two needs (procedure.SECTION_MIN_ROOM)


def test_the_key_images_heading_is_on_the_page_of_the_first_images(draft, pdf_pages_text):
    """However much comes before them, the heading is never left at the foot of a page with its images on the next:
    the plan before them grows a few lines at a time, moving the heading down a page and over its foot."""
    logbook, patient, procedure = draft
    _attach(logbook, procedure, (angiogram((800, 600)), "Tumour stain, segment VII"), (jpeg((600, 600)), None))
    procedure = logbook.get_procedure(procedure.id)
    images = key_image_bytes(logbook, procedure)
    moved_with_room_left = []  # the cases the heading once stayed behind in
    for lines in range(10, 70, 4):
        plan = "\n".join(f"Plan line {n}." for n in range(1, lines + 1))
        pdf = build_report(patient, procedure.replace(follow_up_plan=plan), SIGNATURE, images=images)
        pages = pdf_pages_text(pdf)
        heading = next(n for n, page in enumerate(pages, start=1) if "Key images" in page)
        first_image = next(n for n, page in enumerate(pypdf.PdfReader(io.BytesIO(pdf)).pages, start=1) if page.images)
        assert heading == first_image and "Image 1 · Tumour stain, segment VII" in pages[heading - 1], lines
        before = [w for w in page_words(pdf)[heading - 2] if w[3] < BODY_BOTTOM] if heading > 1 else []
        if f"{lines}." in [w[4] for w in before] and BODY_BOTTOM - max(w[3] for w in before) > SECTION_ROOM:
            moved_with_room_left.append(lines)
    assert moved_with_room_left  # the plan ended a page with room for a heading, and the heading went over


def test_a_changed_image_is_said_in_the_report_not_printed(draft, pdf_pages_text):
    logbook, _, procedure = draft
    (png,) = _attach(logbook, procedure, (angiogram(), "stain"))
    _forge(logbook.path, "DROP TRIGGER append_only_key_image_files_update",
           f"UPDATE key_image_files SET data = X'00' WHERE sha256 = '{png.sha256}'")
    text = " ".join(" ".join(pdf_pages_text(procedure_report(logbook, procedure.id))).split())
    assert "Image not printed: its bytes in the logbook are not the ones the record names" in text


# -- carried ---------------------------------------------------------------------------------------------------
def test_an_export_carries_the_images_and_imports_into_an_empty_logbook(draft, tmp_path):
    logbook, _, procedure = draft
    png, jpg = _attach(logbook, procedure, (angiogram(), "stain"), (jpeg(), None))
    logbook.signing.sign(procedure.id, "chen", PASSWORD)
    doc = interchange.export_document(logbook)
    assert sorted(doc["key_image_files"]) == sorted([png.sha256, jpg.sha256])
    assert base64.b64decode(doc["key_image_files"][png.sha256]) == png.data
    with Logbook.open(tmp_path / "empty.sqlite") as other:
        other.import_document(copy.deepcopy(doc))
        assert other.key_images.data(jpg.sha256) == jpg.data
        assert other.signing.verify().ok and interchange.export_document(other) == doc
        assert other.import_document(copy.deepcopy(doc)).procedures_added == 0


def test_an_import_whose_images_are_missing_or_not_their_hash_writes_nothing(draft, tmp_path):
    logbook, _, procedure = draft
    (png,) = _attach(logbook, procedure, (angiogram(), "stain"))
    doc = interchange.export_document(logbook)
    wrong = copy.deepcopy(doc)
    wrong["key_image_files"][png.sha256] = base64.b64encode(jpeg()).decode()
    missing = copy.deepcopy(doc)
    del missing["key_image_files"]
    with Logbook.open(tmp_path / "empty.sqlite") as other:
        for bad, path, said in [
            (wrong, f"key_image_files['{png.sha256}']" if not png.sha256[0].isalpha()
             else f"key_image_files.{png.sha256}", "do not match the SHA-256"),
            (missing, "patients[0].procedures[0].key_images[0].sha256", "is not in this logbook"),
        ]:
            with pytest.raises(InvalidInputError) as refused:
                other.import_document(bad)
            found = [f for f in refused.value.findings if f.severity == "error"]
            assert [f.path for f in found] == [path] and said in str(found[0].said)
            assert other.counts()["procedures"] == 0


def test_the_package_holds_the_images_by_hash_and_a_deidentified_one_none(draft, tmp_path):
    logbook, _, procedure = draft
    png, jpg = _attach(logbook, procedure, (angiogram(), "stain"), (jpeg(), None))
    manifest = package.write_package(logbook, tmp_path / "trial.zip")
    with zipfile.ZipFile(tmp_path / "trial.zip") as z:
        assert z.read(f"key_images/{png.sha256}.png") == png.data
        assert z.read(f"key_images/{jpg.sha256}.jpg") == jpg.data
    assert manifest["rows"]["key_images/"] == 2 and f"key_images/{png.sha256}.png" in manifest["files"]
    package.write_package(logbook, tmp_path / "deid.zip", formats=("csv",), plan=Deidentification(secret=b"site"))
    with zipfile.ZipFile(tmp_path / "deid.zip") as z:
        names = z.namelist()
        assert not any(n.startswith("key_images/") for n in names)
        rows = z.read("csv/key_images.csv").decode("utf-8-sig")
    assert png.sha256 in rows and "stain" not in rows  # the caption is free text: left out unless asked


# -- the command line ----------------------------------------------------------------------------------------
def test_the_command_attaches_an_image_and_refuses_what_is_not_one(draft, tmp_path, capsys):
    logbook, _, procedure = draft
    (tmp_path / "dsa.png").write_bytes(angiogram((200, 100)))
    (tmp_path / "notes.txt").write_text("not an image", encoding="utf-8")
    db = ["--db", str(logbook.path)]
    assert main([*db, "key-image", procedure.id, str(tmp_path / "dsa.png"), "--caption", "stain in VI"]) == 0
    assert "key image 1 attached and saved: dsa.png (PNG, 200x100 px" in capsys.readouterr().out
    assert main([*db, "key-image", procedure.id, str(tmp_path / "notes.txt")]) != 0
    assert "notes.txt is not a PNG or JPEG image" in capsys.readouterr().err
    (image,) = logbook.get_procedure(procedure.id).key_images
    assert image.caption == "stain in VI"
    logbook.signing.sign(procedure.id, "chen", PASSWORD)
    assert main([*db, "key-image", procedure.id, str(tmp_path / "dsa.png")]) != 0
    assert "signed" in capsys.readouterr().err
