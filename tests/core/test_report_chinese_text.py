"""Chinese in the report: lines broken by the Chinese rules, lists joined with 、, and every character printed
with a glyph the bundled font draws (℃ was blank), read back from the PDF."""

from __future__ import annotations

import subprocess

import pytest
from reportlab.pdfbase import pdfmetrics

from tace_log.dictionary import PROCEDURE
from tace_log.reports import build_report
from tace_log.reports.chinese_text import NO_END, NO_START, break_lines, printable
from tace_log.reports.fonts import register_report_font
from tace_log.resources import cjk_font_file
from tace_log.settings import ReportSettings
from tests.core.test_report import records

FONT = register_report_font()
# Punctuation at every kind of place a line could break: after and before brackets, commas, colons, numbers.
FINDINGS = ("肝右叶VI、VII段见两处结节状肿瘤染色（最大约14 mm），边界清楚；门静脉右支见充盈缺损：考虑癌栓？"
            "“富血供”病灶共3个！经微导管超选择插管至A6、A7，注入碘化油5 mL及表柔比星30 mg，"
            "术后复查DSA：肿瘤染色消失。患者体温37.8℃，无明显不适。") * 4
# Symbols a TACE report is written with: temperatures, doses, sizes, ranges, arrows, grades, segments.
CLINICAL_SYMBOLS = "℃ ℉ ° µ μ ± × ÷ ≤ ≥ ≈ ² ³ · – — → ← ↑ ↓ ‰ ％ ① ② ③ Ⅰ Ⅱ Ⅲ Ⅳ Ⅴ Ⅵ Ⅶ Ⅷ ～ ＜ ＞ ㎎ ㎖ ⁺ ⁻ ⩽ ⩾ ✗ ∼"
# The ones the bundled font draws blank (℃, Ⅴ) or lacks (⁺, ⩽), as the report prints them instead.
PRINTED_AS = {"℃": "°C", "℉": "°F", "Ⅴ": "V", "⁺": "+", "⁻": "−", "⩽": "≤", "⩾": "≥", "✗": "×", "∼": "~"}


@pytest.mark.parametrize("width", range(60, 420, 7))
def test_no_line_starts_with_closing_punctuation_or_ends_with_an_opening_bracket(width):
    lines = [text for _space, text in break_lines(FINDINGS, [width], FONT, 9.5)]
    assert "".join(lines).replace(" ", "") == FINDINGS.replace(" ", "")  # nothing lost
    assert [line for line in lines[1:] if line[0] in NO_START] == []
    assert [line for line in lines[:-1] if line[-1] in NO_END] == []
    assert all(space > -0.01 for space, _text in break_lines(FINDINGS, [width], FONT, 9.5))  # none overflows


def test_the_reports_chinese_lines_follow_the_rules(report_logbook, pdf_pages_text):
    patient, procedure = records(report_logbook)
    # Blocks of the text each shifted by a character more: their lines break at every kind of place.
    procedure.findings = "\n\n".join(FINDINGS[k:k + 200] for k in range(40)
                                       if FINDINGS[k] not in NO_START and FINDINGS[k + 199] not in NO_END)
    procedure.impression = FINDINGS[:150]
    text = "".join(pdf_pages_text(build_report(patient, procedure, settings=ReportSettings(language="zh"))))
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    assert any("癌栓" in line for line in lines)
    assert [line for line in lines if line[0] in "，。、；：？！）」"] == []
    assert [line for line in lines if line[-1] in "（「"] == []


def test_a_list_of_choices_is_joined_with_the_enumeration_comma_in_chinese():
    assert PROCEDURE["stained_segments"].display(["VI", "VII"], "zh") == "VI段、VII段"
    assert PROCEDURE["stained_segments"].display(["VI", "VII"], "en") == "VI, VII"


def test_every_clinical_symbol_prints_with_a_glyph(report_logbook, tmp_path):
    in_font, blank = _font_coverage()
    assert {"℃", "Ⅴ"} <= blank and {"⁺", "⩽"}.isdisjoint(in_font)  # why: drawn blank, or not in the font at all
    assert printable("37.8℃", FONT) == "37.8°C" and printable("Ⅴ段", FONT) == "V段"
    patient, procedure = records(report_logbook)
    symbols = CLINICAL_SYMBOLS.split()
    procedure.findings, procedure.impression = " ".join(f"[{s}]" for s in symbols), "体温37.8℃"
    pdf = tmp_path / "symbols.pdf"
    pdf.write_bytes(build_report(patient, procedure, settings=ReportSettings(language="zh")))
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout
    assert "37.8°C" in text and "℃" not in text
    assert [s for s in symbols if f"[{PRINTED_AS.get(s, s)}]" not in text] == []  # each, as itself or its stand-in
    printed = {c for c in text if not c.isspace()}
    assert sorted(printed - in_font) == [] and sorted(printed & blank) == []  # nothing printed as a box or blank


def _font_coverage() -> tuple[set[str], set[str]]:
    """The characters of the bundled font, as fontconfig reads its character map (`fc-query`), and those of them
    whose glyph has no outline (from its glyph table)."""
    charset = subprocess.run(["fc-query", "-i", "0", "--format=%{charset}", str(cjk_font_file())], check=True,
                             capture_output=True, text=True).stdout
    in_font = set()
    for part in charset.split():
        first, _, last = part.partition("-")
        in_font.update(chr(code) for code in range(int(first, 16), int(last or first, 16) + 1))
    face = pdfmetrics.getFont(FONT).face
    positions = face.glyphPos
    blank = {c for c in in_font if ord(c) in face.charToGlyph and not c.isspace()
             and positions[face.charToGlyph[ord(c)] + 1] == positions[face.charToGlyph[ord(c)]]}
    return in_font, blank



def _blank_or_missing() -> set[str]:
    """Read from the font file with fontTools-free means: reportlab's own parse of its character map and glyphs."""
    face = pdfmetrics.getFont(FONT).face
    return {c for c in CLINICAL_SYMBOLS.replace(" ", "")
            if ord(c) not in face.charToGlyph
            or face.glyphPos[face.charToGlyph[ord(c)] + 1] == face.glyphPos[face.charToGlyph[ord(c)]]}
