"""Real PNG and JPEG files for the key image tests, made by Pillow (the library that reads them is not ours, and
the app's own Qt decodes them again in the form)."""

from __future__ import annotations

import io

from PIL import Image, ImageDraw


def angiogram(size: tuple[int, int] = (96, 64), shade: int = 90, kind: str = "PNG", grain: float = 0) -> bytes:
    """A small grey frame with a dark 'vessel' and a bright 'stain' blob, as `kind` (PNG or JPEG) bytes; each
    shade gives other bytes. `grain` adds a fluoroscopy-like noise of that sigma (a real frame's size on disk)."""
    image = Image.new("L", size, shade)
    if grain:
        image = Image.blend(image, Image.effect_noise(size, grain), 0.5)
    draw = ImageDraw.Draw(image)
    w, h = size
    draw.line([(0, h // 2), (w // 2, h // 3), (w, h // 4)], fill=20, width=max(2, h // 16))
    draw.ellipse([w // 2, h // 2, w // 2 + w // 5, h // 2 + h // 4], fill=235)
    out = io.BytesIO()
    image.save(out, kind)
    return out.getvalue()


def jpeg(size: tuple[int, int] = (96, 64), shade: int = 120, grain: float = 0) -> bytes:
    return angiogram(size, shade, "JPEG", grain)
