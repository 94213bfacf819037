"""The report's one font: the bundled CJK TrueType font, registered with reportlab once per process.

WenQuanYi Micro Hei has Latin and CJK glyphs but no bold face. Bold is mapped to the same face (no synthetic
stroking): headings stand out by size, colour and a shaded band instead, so every glyph in the PDF comes from the
one embedded subset. The canvas base font is switched to it too, so no unembedded Helvetica is ever referenced.
"""

from __future__ import annotations

import threading

from reportlab import rl_config
from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from ..resources import cjk_font_file

REPORT_FONT = "TaceLogCJK"
_lock = threading.Lock()


def register_report_font() -> str:
    """Register the bundled font (about 70 ms, once) and make it the canvas default; returns its name."""
    with _lock:
        if REPORT_FONT not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(REPORT_FONT, str(cjk_font_file()), subfontIndex=0))
            for bold in (0, 1):
                for italic in (0, 1):
                    addMapping(REPORT_FONT, bold, italic, REPORT_FONT)
        rl_config.canvas_basefontname = REPORT_FONT
    return REPORT_FONT
