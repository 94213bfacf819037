"""The PDF procedure report, read back as a reader of the chart would see it."""

from __future__ import annotations

import copy
import dataclasses
import hashlib
import io
import json
import os
import re
import subprocess
import sys
from html import unescape as html_unescape

import pypdf
import pytest

from tace_log import __version__
from tace_log.dictionary import AGENT, COMPLICATION, PATIENT, PROCEDURE, recorded
from tace_log.errors import TaceLogError
from tace_log.formulary import default_formulary
from tace_log.model import Addendum, AgentDose, Signature
from tace_log.reports import DRAFT_TEXT, build_report, procedure_report, report_file_name, write_pdf
from tace_log.settings import SETTINGS_FILENAME, ReportSettings, SettingsError, load_report_settings
from tace_log.signing import MEANING
from tests.core.signing_support import PASSWORD, signable_logbook

SIGNATURE = Signature(signer="李明 Li Ming", username="liming", signed_at="2026-03-14T11:00:05Z",
                      meaning=MEANING, content_sha256=hashlib.sha256(b"signed").hexdigest())


def squeeze(text: str) -> str:
    """Text without whitespace, so a value wrapped over two lines of a cell is still found."""
    return re.sub(r"\s+", "", text)


TYPICAL_PROCEDURE_ID = "7d1e9b52-3c4a-4f6b-8e2d-1a9c0b7f5e31"  # its id in tests/data/typical-procedure.json


def records(logbook):
    procedure = logbook.get_procedure(TYPICAL_PROCEDURE_ID)
    return logbook.get_patient(procedure.patient_id), procedure


def page_count(data: bytes) -> int:
    return len(pypdf.PdfReader(io.BytesIO(data)).pages)


def test_every_recorded_value_is_in_the_report(report_logbook, pdf_pages_text):
    patient, procedure = records(report_logbook)
    pages = pdf_pages_text(procedure_report(report_logbook, TYPICAL_PROCEDURE_ID))
    text = squeeze("".join(pages))
    expected = ["复旦大学附属华山医院 Huashan Hospital", "介入放射科 Interventional Radiology",  # the settings file
                "Age (years)", "64", "Days after resection", "32", "lenvatinib + TACE"]  # derived, the arm's name
    for f in PATIENT.fields:
        expected += [f.label(), f.display(getattr(patient, f.key)) if f.key != "arm" else ""]
    unrecorded_details = []
    for f in PROCEDURE.fields:
        if f.since > 1 and not recorded(getattr(procedure, f.key)):  # a later detail prints only when recorded
            unrecorded_details.append(f.label())
            continue
        value = f.display(getattr(procedure, f.key))
        expected += [f.label(), *(line for line in value.splitlines() if line.strip())]  # narrative: every line
    for a in procedure.agents:
        expected += [default_formulary()[a.agent].en, f"{a.dose:g}{a.unit}", a.lot]
        if a.particle_min_um:
            expected += [AGENT["particle_min_um"].display(a.particle_min_um),
                         AGENT["particle_max_um"].display(a.particle_max_um)]
    for c in procedure.complications:
        expected += [COMPLICATION[k].display(getattr(c, k)) for k in ("term", "ctcae_grade", "sir_class", "management")]
    missing = [value for value in expected if squeeze(value) not in text]
    assert not missing, f"not in the report: {missing}"
    assert unrecorded_details and not [label for label in unrecorded_details if squeeze(label) in text]
    assert "镇痛，观察。" in text and "考虑早期复发：" in text  # CJK punctuation survives as text


def test_every_page_has_the_header_the_draft_mark_and_page_x_of_y(report_logbook, pdf_pages_text):
    pages = pdf_pages_text(procedure_report(report_logbook, TYPICAL_PROCEDURE_ID))
    assert len(pages) >= 1
    for number, page in enumerate(pages, start=1):
        assert DRAFT_TEXT in page
        assert f"Page {number} of {len(pages)}" in page
        assert f"Record {TYPICAL_PROCEDURE_ID}" in page
        assert f"TACE Log {__version__}" in page
        assert "欧阳娜娜" in page and "H/2026 0042" in page  # every page names the patient


def test_a_signed_report_shows_the_signature_and_no_draft_mark(report_logbook, pdf_pages_text):
    patient, procedure = records(report_logbook)
    pages = pdf_pages_text(build_report(patient, procedure, SIGNATURE))
    text = "".join(pages)
    assert DRAFT_TEXT not in text and "DRAFT" not in text
    flat = squeeze(text)
    for value in (SIGNATURE.signer, SIGNATURE.username, "2026-03-14 11:00:05 UTC", SIGNATURE.content_sha256):
        assert squeeze(value) in flat


def test_the_signature_says_who_performed_and_who_reviewed_and_signed(tmp_path, pdf_pages_text):
    logbook, _patient, procedure = signable_logbook(tmp_path / "signed.sqlite")
    with logbook:
        procedure.operator = "王强 Wang Qiang"  # not the radiologist who signs
        logbook.save_procedure(procedure)
        logbook.signing.sign(procedure.id, "chen", PASSWORD)
        english = squeeze("".join(pdf_pages_text(procedure_report(logbook, procedure.id))))
        chinese = squeeze("".join(pdf_pages_text(procedure_report(logbook, procedure.id,
                                                                  ReportSettings(language="zh")))))
    assert "Performedby王强WangQiang" in english
    assert "Reviewedandsignedby陈伟ChenWei,radiologist(chen)" in english  # full name, role, user name
    assert "performedandreviewed" not in english.lower()
    assert "执行王强WangQiang" in chinese and "审核并签名陈伟ChenWei，放射科医师（chen）" in chinese


def test_a_signature_made_before_keeps_the_meaning_it_was_signed_with(report_logbook, pdf_pages_text):
    patient, procedure = records(report_logbook)
    earlier = dataclasses.replace(SIGNATURE, meaning="performed and reviewed by")
    text = squeeze("".join(pdf_pages_text(build_report(patient, procedure, earlier))))
    assert "Performedby王建国" in text and "Performedandreviewedby李明LiMing(liming)" in text
    chinese = squeeze("".join(pdf_pages_text(build_report(patient, procedure, earlier,
                                                          settings=ReportSettings(language="zh")))))
    assert "执行并审核李明LiMing（liming）" in chinese


def test_addenda_follow_the_signed_report_clearly_marked(report_logbook, pdf_pages_text):
    patient, procedure = records(report_logbook)
    addenda = [Addendum("a1", procedure.id, "术后第二天肝功能正常。", "late laboratory result", "李明",
                        "2026-03-16T08:00:00Z"),
               Addendum("a2", procedure.id, "Second note.", "clarification", "Zhang Wei", "2026-03-17T09:00:00Z",
                        SIGNATURE)]
    original = squeeze("".join(pdf_pages_text(build_report(patient, procedure, SIGNATURE))))
    flat = squeeze("".join(pdf_pages_text(build_report(patient, procedure, SIGNATURE, addenda))))
    assert flat.index(SIGNATURE.content_sha256) < flat.index("Addendum1") < flat.index("术后第二天肝功能正常。") \
        < flat.index("Addendum2") < flat.index("Secondnote.")
    assert "latelaboratoryresult" in flat and "李明" in flat
    assert "theoriginalcontentisunchanged" in flat
    body = original.split("Page1of")[0]  # the first page's content, up to its footer
    assert flat.startswith(body)


def long_procedure(procedure):
    """60 agent rows (more than a page) and about three pages of narrative."""
    formulary = default_formulary()
    procedure = copy.deepcopy(procedure)
    procedure.agents = []
    for i in range(60):
        agent = formulary.agents[i % len(formulary.agents)]
        particles = agent.is_particles
        procedure.agents.append(AgentDose(
            agent=agent.key, dose=1 + i % 3, unit=agent.units[0], lot=f"LOT-{i:02d}",
            particle_min_um=100 if particles else None, particle_max_um=300 if particles else None))
    sentence = ("The right hepatic artery was selected and a small stain was seen in segment VI. "
                "造影见肝右叶结节状染色。")
    procedure.findings = "\n\n".join(f"Paragraph {n}: " + sentence * 6 for n in range(1, 31))
    return procedure


def test_a_long_record_flows_onto_further_pages_with_the_table_header_repeated(report_logbook, pdf_pages_text):
    patient, procedure = records(report_logbook)
    data = build_report(patient, long_procedure(procedure))
    pages = pdf_pages_text(data)
    assert page_count(data) == len(pages) >= 5
    agent_pages = [page for page in pages if re.search(r"LOT-\d\d", page)]
    assert len(agent_pages) >= 2
    for page in agent_pages:
        assert "Particlesizefrom" in squeeze(page) and "Lot" in page  # the header row, on every page of the table
    text = squeeze("".join(pages))
    assert all(f"LOT-{i:02d}" in text for i in range(60))
    assert all(f"Paragraph{n}:" in text for n in range(1, 31))
    findings_pages = [i for i, page in enumerate(pages) if "Paragraph" in page]
    assert len(findings_pages) >= 3
    # Mixed Chinese and English flowing over pages keeps every space (reportlab's CJK split used to drop one).
    words = "The right hepatic artery was selected and a small stain was seen in segment".split()
    flowing = " ".join(pages)
    glued = [a + b for a, b in zip(words, words[1:], strict=False) if a + b in flowing]
    assert not glued


def test_the_same_record_gives_the_same_bytes(report_logbook):
    patient, procedure = records(report_logbook)
    first = build_report(patient, procedure, SIGNATURE)
    assert build_report(patient, procedure, SIGNATURE) == first
    assert build_report(patient, procedure) != first  # a draft is a different document


def test_the_same_record_gives_the_same_bytes_in_a_fresh_process(report_logbook, tmp_path):
    outputs = []
    for run in range(2):
        out = tmp_path / f"run{run}.pdf"
        subprocess.run([sys.executable, "-m", "tace_log", "--db", str(report_logbook.path), "report",
                        TYPICAL_PROCEDURE_ID, "-o", str(out)], check=True, capture_output=True,
                       env={"PYTHONHASHSEED": str(run + 1), "PATH": "/usr/bin:/bin",
                            "HOME": os.environ["HOME"]})  # its log goes into the session's home, not the real one
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1] == procedure_report(report_logbook, TYPICAL_PROCEDURE_ID)


def test_every_font_is_embedded_and_there_is_no_helvetica(report_logbook, tmp_path):
    path = write_pdf(tmp_path / "r.pdf", procedure_report(report_logbook, TYPICAL_PROCEDURE_ID))
    rows = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True).stdout.splitlines()[2:]
    assert rows, "pdffonts lists no font"
    for row in rows:
        assert "WenQuanYi" in row and row.split()[-5] == "yes", row  # the 'emb' column
    assert b"Helvetica" not in path.read_bytes()


def metadata(data: bytes):
    return pypdf.PdfReader(io.BytesIO(data)).metadata


def test_metadata_names_the_report_and_dates_it_from_the_record(report_logbook):
    patient, procedure = records(report_logbook)
    procedure.created_at, procedure.updated_at = "2026-03-14T09:12:00Z", "2026-03-14T10:02:31Z"
    draft = metadata(build_report(patient, procedure))
    assert draft.title == f"TACE procedure report 2026-03-14 MRN {patient.mrn}"
    assert draft.author == procedure.operator
    assert draft.subject == f"Procedure {procedure.id}"
    assert draft.creator == f"TACE Log {__version__}"
    assert draft["/CreationDate"] == "D:20260314100231+00'00'"  # the record's last change, not the clock
    signed = metadata(build_report(patient, procedure, SIGNATURE))
    assert signed.author == SIGNATURE.signer
    assert signed["/CreationDate"] == "D:20260314110005+00'00'"  # the signature came after it


def test_chinese_labels_when_the_settings_ask_for_them(report_logbook, pdf_pages_text):
    patient, procedure = records(report_logbook)
    # signed: the draft mark across the page would come between a label and its value in the text read back
    text = squeeze("".join(pdf_pages_text(build_report(patient, procedure, SIGNATURE,
                                                       settings=ReportSettings(language="zh")))))
    assert "TACE手术记录" in text and "肿瘤染色有" in text and "超选择性化疗栓塞" in text and "碘化油" in text


@pytest.mark.parametrize("doses,flagged", [
    ({"air_kerma_mgy": 5000, "dap_gycm2": 500, "fluoroscopy_min": 60}, ""),  # at the thresholds: not flagged
    ({"air_kerma_mgy": 5000.5}, "reference air kerma 5000.5 mGy (threshold 5000 mGy)"),
    ({"dap_gycm2": 500.1, "fluoroscopy_min": 61}, "fluoroscopy time 61 min (threshold 60 min), dose-area product "
                                                  "500.1 Gy·cm² (threshold 500 Gy·cm²)"),  # in the page's order
], ids=["at", "air kerma above", "DAP and time above"])
def test_the_report_asks_for_radiation_follow_up_only_above_a_threshold(report_logbook, pdf_pages_text, doses,
                                                                         flagged):
    patient, procedure = records(report_logbook)
    procedure = procedure.replace(**doses)
    text = squeeze("".join(pdf_pages_text(build_report(patient, procedure, SIGNATURE))))
    if not flagged:
        assert "SIR/NCRP" not in text and "skin" not in text
        return
    assert squeeze(f"Above the SIR/NCRP threshold for radiation follow-up: {flagged}. Arrange a skin check.") in text
    assert text.index(squeeze("Reference air kerma")) < text.index("SIR/NCRP") < text.index(squeeze("Agents and doses"))
    chinese = squeeze("".join(pdf_pages_text(build_report(patient, procedure, SIGNATURE,
                                                          settings=ReportSettings(language="zh")))))
    assert "超过SIR/NCRP辐射随访阈值" in chinese and "请安排皮肤检查随访" in chinese


def test_a_logo_from_the_settings_is_drawn_on_every_page(report_logbook, tmp_path):
    from PIL import Image

    Image.new("RGB", (120, 40), (31, 58, 95)).save(tmp_path / "logo.png")
    settings_file = report_logbook.path.with_name(SETTINGS_FILENAME)
    settings_file.write_text(json.dumps({"report": {"institution": "H", "logo": "logo.png"}}), encoding="utf-8")
    patient, procedure = records(report_logbook)
    reader = pypdf.PdfReader(io.BytesIO(build_report(patient, long_procedure(procedure),
                                                     settings=load_report_settings(report_logbook.path))))
    assert all(len(page.images) == 1 for page in reader.pages)


@pytest.mark.parametrize("content, problem", [
    ("{not json", "cannot be read as JSON"),
    ('{"report": {"language": "fr"}}', "report.language must be one of en, zh"),
    ('{"report": {"logo": "missing.png"}}', "report.logo 'missing.png' is not a file"),
    ('{"report": {"institutoin": "x"}}', "unknown key report.institutoin"),
])
def test_a_bad_settings_file_is_refused_with_what_and_where(tmp_path, content, problem):
    (tmp_path / SETTINGS_FILENAME).write_text(content, encoding="utf-8")
    with pytest.raises(SettingsError, match=re.escape(problem)):
        load_report_settings(tmp_path / "logbook.sqlite")


def test_no_settings_file_means_an_empty_header_in_english(tmp_path):
    assert load_report_settings(tmp_path / "logbook.sqlite") == ReportSettings()


def test_file_names_carry_date_mrn_and_id_never_the_name():
    name = report_file_name("2026-03-14", "H/2026 0042", TYPICAL_PROCEDURE_ID)
    assert name == f"2026-03-14_H_2026_0042_{TYPICAL_PROCEDURE_ID}.pdf"
    assert report_file_name("2026-03-14", "../欧阳", "x") == "2026-03-14_no-mrn_x.pdf"


def test_writing_a_report_into_a_missing_folder_fails_cleanly(tmp_path):
    with pytest.raises(TaceLogError, match="cannot write"):
        write_pdf(tmp_path / "no-such-folder" / "r.pdf", b"%PDF")
    target = write_pdf(tmp_path / "r.pdf", b"%PDF-1.4")
    assert target.read_bytes() == b"%PDF-1.4"
    assert [p.name for p in tmp_path.iterdir()] == ["r.pdf"]  # no partial file left behind


def test_a_minimal_draft_shows_what_is_not_recorded(pdf_pages_text):
    from tace_log.model import Patient, Procedure

    patient = Patient(mrn="M1", name="张伟")
    procedure = Procedure(patient_id=patient.id, date=None, tumor_staining="absent", embolization="none")
    text = "".join(pdf_pages_text(build_report(patient, procedure)))
    assert text.count("None recorded.") == 3  # no agents, no other drugs, no complications
    assert "Tumour staining" in text and "absent" in text and "none (aborted)" in text
    assert "—" in text and DRAFT_TEXT in text


# -- what every page says, on screen and on a grayscale copy ----------------------------------------------------
A4_WIDTH, A4_HEIGHT = 595.28, 841.89
MARGIN, HEADER_BOTTOM = 14 * 72 / 25.4, (14 + 24) * 72 / 25.4  # points from the top of the page


def page_words(data: bytes) -> list[list[tuple[float, float, float, float, str]]]:
    """Each page's words as pdftotext places them: (x min, y min, x max, y max, word), in points from the top left.
    pdftotext leaves out what is drawn off the page and cuts a word at its edge."""
    html = subprocess.run(["pdftotext", "-bbox", "-enc", "UTF-8", "-", "-"], input=data, check=True,
                          capture_output=True).stdout.decode("utf-8")
    word = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>')
    return [[(*map(float, m.groups()[:4]), html_unescape(m.group(5))) for m in word.finditer(page)]
            for page in html.split("<page ")[1:]]


def header_text(words) -> str:
    return " ".join(w[4] for w in words if w[3] <= HEADER_BOTTOM)


def page_image(data: bytes, number: int, gray: bool = False):
    """Page `number` as an image, one pixel a point; `gray`: as a grayscale copy (a photocopy) shows it."""
    from PIL import Image

    png = subprocess.run(["pdftoppm", *(["-gray"] if gray else []), "-png", "-r", "72", "-f", str(number),
                          "-l", str(number), "-"], input=data, check=True, capture_output=True).stdout
    image = Image.open(io.BytesIO(png))
    return image.convert("L" if gray else "RGB")


def test_a_draft_is_marked_on_every_page_in_the_reports_language(report_logbook, pdf_pages_text):
    patient, procedure = records(report_logbook)
    for language, mark in (("zh", "草稿 – 未签名"), ("en", "DRAFT – not signed")):
        pages = pdf_pages_text(build_report(patient, long_procedure(procedure),
                                            settings=ReportSettings(language=language)))
        assert len(pages) >= 5
        assert all(mark in page for page in pages), language
        if language == "zh":
            assert not any("DRAFT" in page for page in pages)


def test_a_signed_report_says_who_signed_it_on_every_page(report_logbook, pdf_pages_text):
    patient, procedure = records(report_logbook)
    for language, status in (("en", "Signed by 李明 Li Ming, 2026-03-14 11:00:05 UTC"),
                             ("zh", "已签名：李明 Li Ming，2026-03-14 11:00:05 UTC")):
        data = build_report(patient, long_procedure(procedure), SIGNATURE, settings=ReportSettings(language=language))
        headers = [header_text(words) for words in page_words(data)]
        assert len(headers) >= 5
        assert all(squeeze(status) in squeeze(header) for header in headers), language


def test_the_logo_never_hides_the_draft_mark(report_logbook, tmp_path):
    from PIL import Image

    Image.new("RGB", (400, 160), (0, 255, 0)).save(tmp_path / "logo.png")  # as big as a logo is drawn; green
    patient, procedure = records(report_logbook)
    data = build_report(patient, procedure, settings=ReportSettings(logo=tmp_path / "logo.png"))
    mark = [w for w in page_words(data)[0] if w[3] <= HEADER_BOTTOM and w[4] in ("DRAFT", "not", "signed")]
    assert len(mark) == 3
    box = (int(min(w[0] for w in mark)) - 1, int(min(w[1] for w in mark)) - 1,
           int(max(w[2] for w in mark)) + 2, int(max(w[3] for w in mark)) + 2)
    page = page_image(data, 1)

    def logo_pixels(image):
        return sum(1 for r, g, b in zip(*(iter(image.tobytes()),) * 3, strict=True) if g > 200 and r < 80 and b < 80)

    assert logo_pixels(page) > 3000  # the logo is drawn
    assert logo_pixels(page.crop(box)) == 0  # but not where the mark is
    assert min(page_image(data, 1, gray=True).crop(box).tobytes()) < 100  # and the mark is there, dark


def test_the_draft_mark_survives_a_grayscale_copy(report_logbook):
    patient, procedure = records(report_logbook)
    long = long_procedure(procedure)
    draft = page_image(build_report(patient, long), 2, gray=True)
    signed = page_image(build_report(patient, long, SIGNATURE), 2, gray=True)
    body = (int(MARGIN), int(HEADER_BOTTOM), int(A4_WIDTH - MARGIN), int(A4_HEIGHT - MARGIN - 30))
    # Where the signed page is blank, the draft's page has its mark: mid-grey or darker.
    marked = sum(1 for d, s in zip(draft.crop(body).tobytes(), signed.crop(body).tobytes(), strict=True)
                 if s > 250 and d <= 128)
    assert marked > 1000, marked


def test_the_header_fits_the_page_whatever_the_lengths(report_logbook, tmp_path):
    from PIL import Image

    Image.new("RGB", (400, 160), (31, 58, 95)).save(tmp_path / "logo.png")
    patient, procedure = records(report_logbook)
    patient = copy.deepcopy(patient)
    patient.name = "欧阳娜娜 Ouyang Nana " * 11  # 198 characters
    patient.mrn = "H/2026-" + "0123456789" * 19
    settings = ReportSettings(institution="复旦大学附属华山医院 Huashan Hospital, Fudan University " * 6,
                              department="介入放射科 Department of Interventional Radiology " * 6,
                              logo=tmp_path / "logo.png")
    pages = page_words(build_report(patient, long_procedure(procedure), SIGNATURE, settings=settings))
    assert len(pages) >= 5
    for words in pages:
        header = [w for w in words if w[3] <= HEADER_BOTTOM]
        assert all(MARGIN - 0.5 <= w[0] and w[2] <= A4_WIDTH - MARGIN + 0.5 for w in header), header
        text = header_text(words)
        for shown in ("复旦大学附属华山医院", "介入放射科", "TACE procedure report", "Signed by 李明",
                      "Name: 欧阳娜娜", "MRN: H/2026-0123", "Procedure date: 2026-03-14"):
            assert shown in text, (shown, text)


def test_an_addendum_over_two_pages_keeps_every_space(report_logbook, pdf_pages_text):
    patient, procedure = records(report_logbook)
    sentence = "The catheter was withdrawn without any non-target embolization on the final run. 术后生命体征平稳。"
    addendum = Addendum("a1", procedure.id, " ".join([sentence] * 80), "late finding", "李明 Li Ming",
                        "2026-03-16T08:00:00Z", SIGNATURE)
    pages = pdf_pages_text(build_report(patient, procedure, SIGNATURE, [addendum]))
    assert len([page for page in pages if "non-target" in page]) >= 2  # the addendum flows onto another page
    words = sentence.split()[:-2]
    flowing = " ".join(pages)
    glued = [a + b for a, b in zip(words, words[1:], strict=False) if a + b in flowing]
    assert not glued
    assert squeeze(flowing).count(squeeze(sentence)) >= 70  # every sentence whole (a page break may cut one)
