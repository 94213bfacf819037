"""The Kaplan–Meier figure, rendered to a PDF and read back as a reader sees it: its words in English and Chinese
from the message catalogue, the numbers at risk, the bundled font embedded, and the curves drawn in their colours."""

from __future__ import annotations

import subprocess

import pytest
from PIL import Image

from tace_log.analysis.survival import DAYS_PER_MONTH, Observation, analyse
from tace_log.reports.survival_figure import PALETTE, figure_pdf, survival_figure

# Two arms over three years, deaths and censorings tied on some days.
OBSERVATIONS = [Observation(float(t), e, g) for g, rows in {
    "tace": [(40, 1), (95, 1), (95, 0), (150, 1), (200, 1), (200, 1), (330, 0), (400, 1), (520, 1), (700, 0)],
    "len_tace": [(60, 1), (180, 0), (250, 1), (380, 1), (380, 0), (610, 0), (800, 1), (950, 0), (1100, 0)],
}.items() for t, e in rows]
NAMES = {"en": {"tace": "TACE alone", "len_tace": "lenvatinib + TACE"},
         "zh": {"tace": "单纯TACE", "len_tace": "仑伐替尼 + TACE"}}
WORDS = {"en": ["Recurrence-free survival", "Months", "Number at risk", "Censored", "Log-rank p ="],
         "zh": ["无复发生存", "月", "风险人数", "删失", "Log-rank检验 P ="]}


def render(language: str, endpoint: str = "rfs") -> bytes:
    drawing = survival_figure(analyse(OBSERVATIONS, ["tace", "len_tace"]), endpoint, NAMES[language], language)
    return figure_pdf(drawing)


@pytest.mark.parametrize("language", ["en", "zh"])
def test_the_figure_reads_back_in_its_language(language, pdf_pages_text):
    [text] = pdf_pages_text(render(language))
    for words in WORDS[language] + list(NAMES[language].values()):
        assert words in text, words
    laid_out = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", "-", "-"], input=render(language),
                              capture_output=True, check=True).stdout.decode()
    rows = [line.split() for line in laid_out.splitlines()]
    ticks = list(range(0, 43, 6))  # the last time, 1100 days, is 36.1 months
    assert [str(t) for t in ticks] in [row for row in rows], laid_out
    for group, name in NAMES[language].items():  # each row: the name, then those still at risk at each tick
        counted = [str(sum(o.group == group and o.time >= t * DAYS_PER_MONTH for o in OBSERVATIONS)) for t in ticks]
        assert name.split() + counted in rows, (counted, laid_out)


def test_the_other_endpoints_are_named():
    for endpoint, words in [("os", "Overall survival"), ("ttr", "Freedom from recurrence")]:
        assert words in subprocess.run(["pdftotext", "-", "-"], input=render("en", endpoint), capture_output=True,
                                       check=True).stdout.decode()
    with pytest.raises(ValueError):
        render("en", "pfs")


def test_the_bundled_font_is_embedded_and_there_is_no_helvetica(tmp_path):
    path = tmp_path / "figure.pdf"
    path.write_bytes(render("zh"))
    rows = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True).stdout.splitlines()[2:]
    assert rows and all("WenQuanYi" in row and row.split()[-5] == "yes" for row in rows), rows
    assert b"Helvetica" not in path.read_bytes()
    assert render("zh") == path.read_bytes()  # the same figure, the same bytes


def test_the_curves_are_drawn_in_their_groups_colours(tmp_path):
    (tmp_path / "figure.pdf").write_bytes(render("en"))
    subprocess.run(["pdftoppm", "-png", "-r", "100", "-singlefile", str(tmp_path / "figure.pdf"),
                    str(tmp_path / "figure")], check=True)
    with Image.open(tmp_path / "figure.png") as image:
        pixels = dict((pixel, n) for n, pixel in image.convert("RGB").getcolors(maxcolors=1 << 20))

    def near(colour) -> int:
        rgb = tuple(round(255 * c) for c in colour.rgb())
        return sum(n for pixel, n in pixels.items() if max(abs(a - b) for a, b in zip(pixel, rgb, strict=True)) < 40)

    assert near(PALETTE[0]) > 600 and near(PALETTE[1]) > 600  # two groups' curves, bands, names and numbers
    assert near(PALETTE[2]) < 100  # a third group's colour is not there


def test_one_group_without_events_is_drawn_without_a_test(pdf_pages_text):
    alone = analyse([Observation(30.0, 0, "tace"), Observation(90.0, 0, "tace")], ["tace"])
    [text] = pdf_pages_text(figure_pdf(survival_figure(alone, "os", {}, "en")))
    assert "tace" in text and "Log-rank" not in text


def test_long_names_are_whole_in_the_legend_and_cut_in_the_table(pdf_pages_text):
    names = {"tace": "Transarterial chemoembolization alone, on demand at recurrence",
             "len_tace": "Lenvatinib with adjuvant transarterial chemoembolization"}
    drawing = survival_figure(analyse(OBSERVATIONS, ["tace", "len_tace"]), "rfs", names)
    text = " ".join(pdf_pages_text(figure_pdf(drawing))[0].split())
    for name in names.values():
        assert name in text and name[:20] in text.split(name, 1)[1], name  # whole once, then cut in the table
    assert text.count("…") == 2
