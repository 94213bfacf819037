"""The Couinaud segments in an anterior view of the liver (the patient's right on the viewer's left, IV split into
IVa and IVb, the caudate lobe I at the hilum) as polygons in a 100 x 60 box, which the form's segment picker
(`ui/entry/liver_map.py`) and the report's drawing (`reports/liver_map.py`) both scale; and which segments the
target vessels treat (A6 is segment VI's artery).
"""

from __future__ import annotations

import re
import unicodedata

from .dictionary import COUINAUD_SEGMENTS

WIDTH, HEIGHT = 100.0, 60.0  # the box the polygons are in; y grows downwards, as on a screen
# Each segment's outline (anterior view), and where its name is written.
SEGMENTS: dict[str, tuple[tuple[tuple[float, float], ...], tuple[float, float]]] = {
    "VII": (((4, 18), (20, 8), (27, 29), (7, 35)), (14, 22)),
    "VIII": (((20, 8), (44, 4), (45, 27), (27, 29)), (34, 17)),
    "VI": (((7, 35), (27, 29), (29, 50), (15, 47)), (19, 40)),
    "V": (((27, 29), (45, 27), (45, 53), (29, 50)), (37, 40)),
    "IVa": (((44, 4), (60, 7), (58, 25), (45, 27)), (52, 15)),
    "IVb": (((45, 27), (58, 25), (56, 45), (45, 53)), (51, 40)),
    "II": (((60, 7), (90, 15), (84, 25), (58, 25)), (72, 17)),
    "III": (((58, 25), (84, 25), (96, 30), (56, 45)), (72, 33)),
    "I": (((46, 23), (54, 22), (55, 30), (47, 31)), (50.5, 26.5)),
}
# A segment's artery (A6) or the segment itself (S6, 6段, VI段); several joined by + / 、 & share one prefix
# (A2+3, S5/8, VI、VII段) and a half may follow IV alone (A4a+b). A name ends there: A10 is no segment, nor IVC.
_END = r"(?![0-9A-Za-z])"
_NUMBER, _HALF = rf"[1-8][ab]?{_END}", rf"[ab]{_END}"
_NAME = rf"(?:VIII|VII|VI|IV|V|III|II|I|[1-8])[ab]?{_END}"
_AND = r"\s*[+/、&]\s*"
_NAMED = re.compile(rf"(?<![0-9A-Za-z])(?:[AS]\s*({_NUMBER}(?:{_AND}(?:{_NUMBER}|{_HALF}))*)"
                    rf"|({_NAME}(?:{_AND}(?:{_NAME}|{_HALF}))*)\s*段)", re.IGNORECASE)
_ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII")


def treated_segments(target_vessels: str | None) -> list[str]:
    """The segments the target vessels name, in the segments' order: "A6, A7" → VI, VII; "A2+3" → II, III;
    "S5/8" → V, VIII; "VI段" → VI; A4 is IVa and IVb, A4a only IVa. Full-width and Roman-numeral characters
    (Ａ６, Ⅵ段) read as typed plainly; a branch named in words (右前支) names no segment."""
    found: set[str] = set()
    for prefixed, before_duan in _NAMED.findall(unicodedata.normalize("NFKC", target_vessels or "")):
        segment = ""
        for part in re.split(_AND, prefixed or before_duan):
            name = part.rstrip("abAB")
            half = part[len(name):].lower()
            if name:
                segment = _ROMAN[int(name) - 1] if name.isdigit() else name.upper()
            if segment == "IV":
                found.update([f"IV{half}"] if half else ["IVa", "IVb"])
            elif name:  # a half after another segment (A6a) is still that segment
                found.add(segment)
    return [c.key for c in COUINAUD_SEGMENTS if c.key in found]


def contains(segment: str, x: float, y: float) -> bool:
    """Whether the point (in the map's box) is inside the segment's outline (I, drawn over IVa and IVb, first)."""
    points = SEGMENTS[segment][0]
    inside = False
    for (x1, y1), (x2, y2) in zip(points, points[1:] + points[:1], strict=True):
        if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
            inside = not inside
    return inside


def segment_at(x: float, y: float) -> str | None:
    """The segment at a point of the map's box: the caudate first, as it is drawn over segment IV."""
    for key in ("I", *(k for k in SEGMENTS if k != "I")):
        if contains(key, x, y):
            return key
    return None
