"""Chinese text in the report as a Chinese reader expects it: lines broken by the Chinese rules (no line starts
with closing punctuation such as ，。、；：？！）」 or ends with an opening bracket such as （「), and every
character printed with a glyph the bundled font really draws.

reportlab breaks CJK text between any two characters, hanging only a few Japanese marks in the margin (not the
full-width comma, semicolon, colon, question or exclamation mark), and knows nothing of opening brackets. The
bundled font maps a few characters to empty glyphs (℃, ℉, Ⅴ): printed as they are, they are blank.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Paragraph

# GB/T 15834 and the W3C's Requirements for Chinese Text Layout (clreq): what may not begin or end a line.
NO_START = set("，。、；：？！）」』】〕〉》”’…‥·％‰℃°,.;:?!)]}%")
NO_END = set("（「『【〔〈《“‘([{")
# One unit of breaking: a CJK character, a run of spaces, or a run of anything else (a Latin word, a number).
_UNITS = re.compile(r"[\u2e80-\u9fff\u3000-\u303f\uff00-\uffef]| +|[^ \u2e80-\u9fff\u3000-\u303f\uff00-\uffef]+")


def _may_break(before: str, after: str) -> bool:
    """Whether a line may end with `before` and the next begin with `after`."""
    return not (after[0] in NO_START or before[-1] in NO_END)


def break_lines(text: str, max_widths: list[float], font: str, size: float) -> list[tuple[float, str]]:
    """Greedy line breaking of one line of plain text: (the width left over, the line's text) per line. Breaks
    go between CJK characters and at spaces, moved back where the Chinese rules forbid them (a line that cannot
    be broken by the rules is broken anyway rather than overflow), and inside a word only when the word alone
    is wider than the narrowest line."""
    def width(units: list[str]) -> float:
        return stringWidth("".join(units), font, size)

    narrowest = min(max_widths)
    units: list[str] = []
    for unit in _UNITS.findall(text):
        units += list(unit) if width([unit]) > narrowest else [unit]
    lines: list[tuple[float, str]] = []
    line: list[str] = []

    def end_line(units_of_line: list[str]) -> None:
        kept = "".join(units_of_line).rstrip()
        lines.append((max_widths[min(len(lines), len(max_widths) - 1)] - stringWidth(kept, font, size), kept))

    for unit in units:
        if not line and unit.isspace():
            continue  # no line begins with a space
        room = max_widths[min(len(lines), len(max_widths) - 1)]
        if not line or width([*line, unit]) <= room:
            line.append(unit)
            continue
        if unit.isspace():
            end_line(line)
            line = []
            continue
        k = len(line)  # break before `unit`, or further back where the rules keep two units together
        while k > 0 and not (line[k - 1].isspace() or _may_break(line[k - 1], line[k] if k < len(line) else unit)):
            k -= 1
        k = k or len(line)
        end_line(line[:k])
        line = [*line[k:], unit]
        while line and line[0].isspace():
            line.pop(0)
    if line or not lines:
        end_line(line)
    return lines


# What the report writes for a character its font does not draw where the character's compatibility form (NFKC)
# is not drawn either: the nearest sign a clinician reads the same.
STAND_INS = {"⩽": "≤", "⩾": "≥", "∼": "~", "✗": "×", "✘": "×", "≦": "≤", "≧": "≥"}


@lru_cache(maxsize=4)
def _drawn(font: str) -> frozenset[str]:
    """The characters the font draws: in its character map, with an outline (spaces and controls aside)."""
    face = pdfmetrics.getFont(font).face  # type: ignore[attr-defined]  # a TTFont: its face has the glyph table
    positions = face.glyphPos
    return frozenset(chr(code) for code, glyph in face.charToGlyph.items() if positions[glyph + 1] > positions[glyph])


def undrawn(char: str, font: str) -> bool:
    """The font would print the character as nothing or as a box: missing from it, or drawn blank (℃ is)."""
    return char not in _drawn(font) and not char.isspace() and unicodedata.category(char)[0] != "C"


def printable(text: str, font: str) -> str:
    """The text with each character the font does not draw written as its compatibility form (℃ as °C, Ⅴ as V,
    ⁺ as +) when the font draws that, else as its stand-in (⩽ as ≤); a character with neither stays as it is."""
    drawn = _drawn(font)
    if drawn.issuperset(text):
        return text
    out = []
    for char in text:
        if undrawn(char, font):
            plain = unicodedata.normalize("NFKC", char)
            if any(undrawn(c, font) for c in plain):
                plain = STAND_INS.get(char, char)
            out.append(plain)
        else:
            out.append(char)
    return "".join(out)


class ChineseParagraph(Paragraph):
    """A Paragraph whose CJK lines (style wordWrap="CJK") are broken by `break_lines`: for plain text in one
    font and size, as the report's are; anything else as reportlab breaks it."""

    def breakLinesCJK(self, maxWidths: Any) -> Any:  # noqa: N802  (reportlab's name and types)
        frags = self.frags
        if not isinstance(maxWidths, (list, tuple)):
            maxWidths = [maxWidths]
        plain = (frags and not getattr(self, "_splitpara", 0) and not self.bulletText and not self.style.endDots
                 and all(not hasattr(f, "cbDefn") and hasattr(f, "text") for f in frags)
                 and len({(f.fontName, f.fontSize) for f in frags}) == 1)
        if not plain:
            return super().breakLinesCJK(maxWidths)
        self.height = 0
        first = frags[0]
        hard_lines, current = [], []
        for frag in frags:
            current.append(frag.text)
            if hasattr(frag, "lineBreak"):
                hard_lines.append("".join(current))
                current = []
        hard_lines.append("".join(current))
        lines: list[tuple[float, list[str]]] = []
        for hard in hard_lines:
            for space, text in break_lines(hard, maxWidths[len(lines):] or maxWidths[-1:], first.fontName,
                                           first.fontSize):
                lines.append((space, [text]))
        return first.clone(kind=0, lines=lines, ascent=first.fontSize, descent=-0.2 * first.fontSize)

