"""Which Couinaud segments the target vessels treat, as the radiologists type them (the report's and the form's
liver map hatch these)."""

from __future__ import annotations

import pytest

from tace_log.couinaud import treated_segments

IV = ["IVa", "IVb"]


@pytest.mark.parametrize("typed, segments", [
    ("A6, A7", ["VI", "VII"]),
    ("A6,A7", ["VI", "VII"]),
    ("a6 a7", ["VI", "VII"]),
    ("A 8", ["VIII"]),
    ("A1", ["I"]),
    ("A10", []),  # no segment X; not A1
    ("A12, A6", ["VI"]),
    ("A2+3", ["II", "III"]),
    ("A5/8", ["V", "VIII"]),
    ("A5 / 8", ["V", "VIII"]),
    ("A4", IV),
    ("A4a", ["IVa"]),
    ("A4b", ["IVb"]),
    ("A4a+b", IV),
    ("A4b+A3", ["III", "IVb"]),
    ("A2+3、A4", ["II", "III", *IV]),
    ("A6、A7", ["VI", "VII"]),
    ("A8 and A3", ["III", "VIII"]),
    ("A6a", ["VI"]),  # a subsegmental branch is still its segment
    ("肝右动脉A6", ["VI"]),  # no space before the artery
    ("A6及A7分支", ["VI", "VII"]),
    ("Ａ６、Ａ７", ["VI", "VII"]),  # full-width, as a Chinese input method types them
    ("S5", ["V"]),
    ("S5/8", ["V", "VIII"]),
    ("s4a", ["IVa"]),
    ("S4", IV),
    ("V段", ["V"]),
    ("VIII段", ["VIII"]),
    ("IV段", IV),
    ("IVb段", ["IVb"]),
    ("VI、VII段", ["VI", "VII"]),
    ("肝右叶VI段、VII段供血动脉", ["VI", "VII"]),
    ("Ⅵ段", ["VI"]),  # the Roman numeral character
    ("5/8段", ["V", "VIII"]),
    ("右前支", []),  # a branch, named in words, not a segment
    ("右前支（A5/8）", ["V", "VIII"]),
    ("RHA", []),
    ("right hepatic artery, IVC contrast reflux", []),  # IV of IVC is no segment
    ("DSA", []),
    ("", []),
    (None, []),
])
def test_the_target_vessels_name_these_segments(typed, segments):
    assert treated_segments(typed) == segments
