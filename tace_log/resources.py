"""Where the bundled data files live: beside the package in a checkout, inside the bundle when frozen."""

from __future__ import annotations

import sys
from pathlib import Path


def resources_dir() -> Path:
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def resource(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)


# The bundled CJK TrueType font (Latin and CJK glyphs): the app registers it with Qt, the report embeds it.
CJK_FONT_FAMILY = "WenQuanYi Micro Hei"


def cjk_font_file() -> Path:
    return resource("fonts", "wqy-microhei.ttc")
