#!/usr/bin/env python3
"""Checks the fake server's own JPEG and WebP writers against a standard decoder (Pillow: libjpeg, libwebp).

Usage: verify-with-pillow.py DIR
DIR holds fixture.png, fixture.webp and fixture.jpg encoded from the same RGBA pixels (see
tests/OpenAIImages.Tests/FakeApi/ImageWriterTests.cs for the pixels). The WebP must decode to exactly the
PNG's pixels; every JPEG pixel must be within 1 level of its 8x8 block's mean colour (the writer keeps only
DC coefficients). Needs python3-pil (Debian) or Pillow.
"""
import sys
from PIL import Image

folder = sys.argv[1]
png = Image.open(f"{folder}/fixture.png").convert("RGBA")
webp = Image.open(f"{folder}/fixture.webp")
webp.load()
assert webp.format == "WEBP" and webp.size == png.size, (webp.format, webp.size)
assert list(webp.convert("RGBA").getdata()) == list(png.getdata()), "WebP pixels differ from the PNG"

jpeg = Image.open(f"{folder}/fixture.jpg")
jpeg.load()
assert jpeg.format == "JPEG" and jpeg.size == png.size, (jpeg.format, jpeg.size)
w, h = png.size
src, dst = png.load(), jpeg.convert("RGB").load()
worst = 0.0
for by in range(0, h, 8):
    for bx in range(0, w, 8):
        pts = [(x, y) for y in range(by, min(by + 8, h)) for x in range(bx, min(bx + 8, w))]
        mean = [sum(src[p][c] for p in pts) / len(pts) for c in range(3)]
        worst = max(worst, max(abs(dst[p][c] - mean[c]) for p in pts for c in range(3)))
assert worst <= 1.0, f"JPEG block colours are off by {worst}"
print(f"ok: WebP exact, JPEG within {worst:.1f} of block means")
