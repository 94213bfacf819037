"""The procedure report of a record with every procedure detail filled (issue 20, items 1 and 2): each detail with
its value, and the Couinaud map marking the stained and the treated segments, read back from the PDF by poppler."""

from __future__ import annotations

import io
import itertools
import math
import subprocess

import pytest
from PIL import Image

from tace_log.couinaud import HEIGHT, SEGMENTS, contains
from tace_log.dictionary import MEDICATION
from tace_log.model import record_class
from tace_log.reports import build_report
from tests.core.test_report import SIGNATURE, page_words, records, squeeze

Medication = record_class(MEDICATION)

# Each detail as the report prints it, label and value (in English; the values as the form takes them below); a
# value's lines each whole.
DETAILS = [
    ("Start time", "08:40"), ("End time", "09:55"), ("Intent", "adjuvant"),
    ("Procedure name", "肝动脉造影+超选择性TACE"), ("Indication", "肝切除术后1个月辅助TACE"),
    ("Pre-procedure diagnosis", "肝细胞癌术后（MVI M2）"), ("Assistants", "周敏 Zhou Min, 刘洋"),
    ("Consent obtained", "yes"), ("Time-out done", "yes"), ("Anaesthesia", "conscious sedation"),
    ("Sheath", "5 Fr"), ("Base catheter", "RH 5F"), ("Closure", "closure device"),
    ("Closure device", "Perclose ProGlide"), ("Hepatic arterial anatomy (Michels)", "type III"),
    ("Variants and collaterals", "replaced right hepatic artery from the SMA; 膈下动脉侧支"),
    ("Portal vein", "partial thrombus"), ("Stained segments", "VII"),
    ("Stain interpretation", "recurrence suspected"), ("Target vessels", "右前支（A5/8）"),
    ("Drug emulsified with lipiodol", "epirubicin"), ("Emulsion ratio (drug : lipiodol)", "1:2"),
    ("Completion angiography", "yes"), ("Cone-beam CT", "no"), ("Contrast agent", "iodixanol 320"),
    ("Patient tolerance", "fair"),
    ("Post-procedure orders", "卧床6小时，右下肢制动。\nMonitor vital signs hourly."),
    ("Follow-up plan", "4 weeks: contrast-enhanced MRI and AFP."),
]
OTHER_DRUGS = [("lidocaine", "5 mL", "local infiltration"), ("ondansetron", "8 mg", "intravenous")]


@pytest.fixture
def every_detail(report_logbook):
    """The typical procedure with every procedure detail recorded, saved through the logbook (so each value is one
    the rules take): segment VII stained, V and VIII treated."""
    _patient, procedure = records(report_logbook)
    report_logbook.save_procedure(procedure.replace(
        intent="adjuvant", start_time="08:40", end_time="09:55", procedure_name="肝动脉造影+超选择性TACE",
        indication="肝切除术后1个月辅助TACE", pre_diagnosis="肝细胞癌术后（MVI M2）", assistants="周敏 Zhou Min, 刘洋",
        consent_obtained=True, time_out_done=True, anaesthesia="conscious_sedation", sheath_fr=5,
        base_catheter="RH 5F", closure="closure_device", closure_device="Perclose ProGlide", michels_type="III",
        anatomy_variants="replaced right hepatic artery from the SMA; 膈下动脉侧支", portal_vein="partial_thrombus",
        stained_segments=["VII"], stain_interpretation="recurrence_suspected", target_vessels="右前支（A5/8）",
        emulsion_drug="epirubicin", emulsion_ratio="1:2", completion_angiography=True, cone_beam_ct=False,
        contrast_agent="iodixanol 320", tolerance="fair",
        post_orders="卧床6小时，右下肢制动。\nMonitor vital signs hourly.",
        follow_up_plan="4 weeks: contrast-enhanced MRI and AFP.",
        medications=[Medication(drug="lidocaine", dose=5, unit="mL", route="local"),
                     Medication(drug="ondansetron", dose=8, unit="mg", route="iv")]))
    patient, procedure = records(report_logbook)
    # Signed, so no draft mark across the page comes between a label and its value in the text read back.
    return build_report(patient, procedure, SIGNATURE)


def beside(words, label: str, value: str) -> bool:
    """Whether a value's first word starts on the line of its label's first word, in the column after it (a
    grid's cell), as pdftotext places them."""
    first, start = label.split()[0], value.split()[0]
    return any(w[4] == first and v[4] == start and abs(v[1] - w[1]) < 3 and 0 < v[0] - w[0] < 150
               for w in words for v in words)


def test_every_procedure_detail_is_printed_beside_its_label(every_detail, pdf_pages_text):
    text = squeeze("".join(pdf_pages_text(every_detail)))
    words = [w for page in page_words(every_detail) for w in page]
    missing = [(label, value) for label, value in DETAILS
               if not (squeeze(label) in text and all(squeeze(line) in text for line in value.splitlines())
                        and beside(words, label, value))]
    assert not missing, f"not in the report, or not beside its label: {missing}"
    drugs = [row for row in OTHER_DRUGS if not all(squeeze(value) in text for value in row)]
    assert not drugs and "Otherdrugs" in text


# -- the Couinaud map ---------------------------------------------------------------------------------------------
DPI = 144
PIXEL = 72 / DPI  # points a pixel


def gray_page(data: bytes, number: int) -> Image.Image:
    png = subprocess.run(["pdftoppm", "-gray", "-png", "-r", str(DPI), "-f", str(number), "-l", str(number), "-"],
                         input=data, check=True, capture_output=True).stdout
    return Image.open(io.BytesIO(png)).convert("L")


def map_labels(words) -> dict[str, tuple[float, float, float, float]]:
    """Each segment's name on the map, as pdftotext places it: the lowest of the words naming it on the page (the
    fields above the map name segments too)."""
    return {key: max((w[:4] for w in words if w[4] == key), key=lambda box: box[1]) for key in SEGMENTS
            if any(w[4] == key for w in words)}


def placement(labels) -> tuple[float, float, float]:
    """Where the map's box is on the page (its left, its top, points per box unit), from where two segments' names
    are printed (each centred on its segment's name point)."""
    (a, (ax, ay)), (b, (bx, _)) = ((key, SEGMENTS[key][1]) for key in ("VII", "III"))
    centre = {key: ((box[0] + box[2]) / 2, (box[1] + box[3]) / 2) for key, box in labels.items()}
    scale = (centre[b][0] - centre[a][0]) / (bx - ax)
    left, top = centre[a][0] - ax * scale, centre[a][1] - ay * scale
    for key, (x, y) in centre.items():  # every name where the same placement puts it: the map is the one read
        lx, ly = SEGMENTS[key][1]
        assert math.isclose(x, left + lx * scale, abs_tol=1) and math.isclose(y, top + ly * scale, abs_tol=1), key
    return left, top, scale


def inside_pixels(segment: str, left: float, top: float, scale: float, keep_out) -> list[tuple[int, int]]:
    """The pixels well inside a segment's outline (a disc of 4 pt around each is inside it), away from its name
    (`keep_out`, its box): were the map placed a point or two off, they would still be inside."""
    reach = 4 / scale
    outline = SEGMENTS[segment][0]
    xs, ys = [x for x, _ in outline], [y for _, y in outline]
    out = []
    for px, py in itertools.product(range(int((left + min(xs) * scale) / PIXEL), int((left + max(xs) * scale) / PIXEL)),
                                    range(int((top + min(ys) * scale) / PIXEL), int((top + max(ys) * scale) / PIXEL))):
        x, y = (px * PIXEL - left) / scale, (py * PIXEL - top) / scale
        x0, y0, x1, y1 = keep_out
        if x0 - 3 <= px * PIXEL <= x1 + 3 and y0 - 3 <= py * PIXEL <= y1 + 3:
            continue
        if all(contains(segment, x + reach * math.cos(a), y + reach * math.sin(a))
               for a in (i * math.pi / 4 for i in range(8))) and contains(segment, x, y):
            out.append((px, py))
    return out


def test_the_liver_map_fills_the_stained_segment_hatches_the_treated_ones_and_has_a_legend(every_detail):
    pages = page_words(every_detail)
    number, words = next((n, w) for n, w in enumerate(pages, start=1) if "DSA" in [x[4] for x in w])
    labels = map_labels(words)
    assert set(labels) == set(SEGMENTS)
    left, top, scale = placement(labels)
    image = gray_page(every_detail, number)

    def shades(segment: str) -> list[int]:
        pixels = inside_pixels(segment, left, top, scale, labels[segment])
        assert len(pixels) > 200, segment
        return [image.getpixel(p) for p in pixels]

    stained, treated, unmarked = shades("VII"), [*shades("V"), *shades("VIII")], [*shades("II"), *shades("VI")]
    assert max(stained) < 160  # filled: dark all over
    assert sum(treated) / len(treated) < 245 and sum(1 for s in treated if s < 200) > len(treated) / 10  # lines
    assert sum(1 for s in treated if s > 250) > len(treated) / 3  # across white: hatched, not filled
    assert min(unmarked) > 245  # blank
    # The legend, under the map: a dark swatch before "Stained segments", then the treated ones'.
    legend = [w for w in words if w[1] > top + HEIGHT * scale - 2]
    line = " ".join(w[4] for w in legend)
    assert "Stained segments" in line and "Treated (by the target vessels)" in line
    stained_word = next(w for w in legend if w[4] == "Stained")
    swatch = (int((stained_word[0] - 6) / PIXEL), int((stained_word[1] + stained_word[3]) / 2 / PIXEL))
    assert image.getpixel(swatch) < 160

