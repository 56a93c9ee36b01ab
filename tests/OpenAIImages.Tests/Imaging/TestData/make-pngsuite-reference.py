#!/usr/bin/python3
"""Makes the reference data the imaging tests compare against, from decoders that are not ours.

Run once, from the repository root, with Debian's Python and its PIL, numpy and pypng packages
(apt-get install python3-pil python3-numpy python3-png); the tests never run this:

    /usr/bin/python3 tests/OpenAIImages.Tests/Imaging/TestData/make-pngsuite-reference.py ../shared/testdata/pngsuite

The committed outputs were made with Pillow 9.4.0, numpy 1.24.2 and pypng 0.20220715.0 (Debian 12).

Outputs, in this folder:
  pngsuite-rgba8.sha256   per valid PngSuite file: WxH and SHA-256 of its RGBA8 pixels (row-major)
  pngsuite-rgba16.sha256  the same for 16-bit RGBA, little-endian uint16 per channel
  mask-1024x1024.png, mask-1536x1024.png
                          deterministic black-and-white-ish masks (made once, kept if present)
  alpha-mask.sha256       SHA-256 of the RGBA8 pixels of OpenAI's mask recipe, per input and variant
  luminance-all-colors.sha256
                          SHA-256 of PIL's convert("L") of an image holding all 2^24 RGB colors
  encoder-fixture.pil.txt what PIL reports for the committed encoder fixtures (run with --check-fixtures)

The encoder fixtures (encoder-fixture-rgba.png, -gray.png, -grayalpha.png) are not made here: PngEncoder wrote
them, with default options, from the pixels EncoderFixture.cs computes (a throwaway console program called
EncodeRgba, EncodeGray and EncodeGrayAlpha once). This script then records, with --check-fixtures, the mode,
size and RGBA8 hash PIL reads from them; PngEncoderFixtureTests compares those with the intended pixels and
re-encodes the pixels to reproduce the files.

How the RGBA8 reference is made, and where PIL is not followed
---------------------------------------------------------------
Two independent decoders read every file: PIL (Image.open(f).convert("RGBA").tobytes()) and pypng, whose
raw samples this script maps to RGBA8 by the PNG specification: 16-bit samples keep their high byte (what
libpng's png_set_strip_16 and PIL's own "RGB;16B"/"RGBA;16B"/"LA;16B" unpackers do); 1/2/4-bit gray is
scaled by 255/(2^depth-1); a tRNS color key is compared with the raw samples at the file's own bit depth and
makes a match fully transparent; palette alpha comes from tRNS, 255 past its end. gAMA, cHRM, sRGB, iCCP,
sBIT and bKGD never change pixel values (PIL's convert ignores them too).

Where the two agree, that is the reference. The script stops unless they disagree exactly on the files
listed in PIL_IS_ODD, each for a reason checked by hand:
  * 16-bit grayscale (basn0g16 and the other *0g16 files): PIL opens it as mode "I" (32-bit integers) and
    convert("RGBA") clips every value above 255 to 255 instead of scaling, so nearly every pixel turns white.
    A user would expect the high byte, as for PIL's 16-bit RGB.
  * tbwn0g16 (16-bit gray, tRNS key 65535): on top of the clipping, PIL makes every pixel transparent,
    though no sample equals 65535. The correct result is fully opaque.
  * tbbn0g04 (4-bit gray, tRNS key 15): PIL compares the key with the pixel values after scaling to 0..255
    (where 15 never occurs), so the white pixels (raw 15) stay opaque. The specification makes them
    transparent.
PIL handles 16-bit RGB tRNS (tbbn2c16, tbgn2c16) correctly here: the two agree.

The 16-bit reference comes from pypng alone (PIL cannot return 16-bit RGB): 8-bit and smaller samples are
widened so that the maximum becomes 65535 (v * 65535 / (2^depth-1)), as libpng's png_set_expand_16 does.

The mask recipe (alpha-mask.sha256)
-----------------------------------
OpenAI's recipe, verbatim: mask = Image.open(path).convert("L"); rgba = mask.convert("RGBA");
rgba.putalpha(mask). So R = G = B = A = L, with L = (R*19595 + G*38470 + B*7471 + 0x8000) >> 16
(checked below against all 2^24 colors), and the input's own alpha or tRNS ignored.
For PngSuite inputs the recipe is applied to the RGBA8 reference above (which equals PIL's convert("L")
of the file itself for every file except the 16-bit gray ones, checked below), so a 16-bit gray mask keeps
its high byte instead of PIL's clipping.
Variants: "resize WxH nearest|bilinear" is L.resize((W, H), Image.NEAREST|Image.BILINEAR) before the
alpha is filled; "threshold T" maps L >= T to 255 and the rest to 0 after any resize; "invert" is 255 - L
after the threshold. Names in alpha-mask.sha256 are "<input>|<variant>".
"""
import glob
import hashlib
import os
import sys

import numpy as np
import png
from PIL import Image, ImageDraw, ImageOps

HERE = os.path.dirname(os.path.abspath(__file__))

PIL_IS_ODD = {
    "basi0g16.png": "16-bit gray clipped to 255",
    "basn0g16.png": "16-bit gray clipped to 255",
    "g03n0g16.png": "16-bit gray clipped to 255",
    "g04n0g16.png": "16-bit gray clipped to 255",
    "g05n0g16.png": "16-bit gray clipped to 255",
    "g07n0g16.png": "16-bit gray clipped to 255",
    "g10n0g16.png": "16-bit gray clipped to 255",
    "g25n0g16.png": "16-bit gray clipped to 255",
    "oi1n0g16.png": "16-bit gray clipped to 255",
    "oi2n0g16.png": "16-bit gray clipped to 255",
    "oi4n0g16.png": "16-bit gray clipped to 255",
    "oi9n0g16.png": "16-bit gray clipped to 255",
    "tbwn0g16.png": "16-bit gray clipped, and every pixel made transparent",
    "tbbn0g04.png": "tRNS key compared after scaling 4-bit gray to 8 bits",
}


def sha256(data):
    return hashlib.sha256(bytes(data)).hexdigest()


def pil_rgba8(path):
    with Image.open(path) as im:
        return np.asarray(im.convert("RGBA"), dtype=np.uint8)


def pypng_rgba16(path):
    """RGBA16 by the PNG specification, from pypng's raw samples."""
    reader = png.Reader(filename=path)
    width, height, rows, info = reader.read()
    raw = np.array([np.asarray(r, dtype=np.int64) for r in rows], dtype=np.int64)
    depth = info["bitdepth"]
    maximum = (1 << depth) - 1
    if not info["greyscale"] and info["planes"] == 1:  # color type 3; RGB files may carry a suggested palette too
        table = np.array([tuple(e) + (255,) * (4 - len(e)) for e in reader.palette(alpha="force")], dtype=np.int64)
        rgba = table[raw] * 257  # palettes are always 8-bit
        return rgba.astype(np.uint16)
    planes = info["planes"]
    raw = raw.reshape(height, width, planes)
    widen = 65535 // maximum
    if info["greyscale"]:
        gray = raw[..., 0]
        alpha = raw[..., 1] * widen if info["alpha"] else np.full_like(gray, 65535)
        if "transparent" in info and not info["alpha"]:
            alpha = np.where(gray == info["transparent"][0], 0, alpha)
        g = gray * widen
        rgba = np.stack([g, g, g, alpha], axis=-1)
    else:
        rgb = raw[..., :3]
        alpha = raw[..., 3] * widen if info["alpha"] else np.full(rgb.shape[:2], 65535)
        if "transparent" in info and not info["alpha"]:
            key = np.array(info["transparent"])
            alpha = np.where((rgb == key).all(axis=-1), 0, alpha)
        rgba = np.concatenate([rgb * widen, alpha[..., None]], axis=-1)
    return rgba.astype(np.uint16)


def valid_suite_files(suite):
    files = sorted(glob.glob(os.path.join(suite, "*.png")))
    return [f for f in files if not os.path.basename(f).startswith("x")]


def make_suite_references(suite):
    lines8, lines16, rgba8_by_name = [], [], {}
    disagreements = {}
    for path in valid_suite_files(suite):
        name = os.path.basename(path)
        rgba16 = pypng_rgba16(path)
        by_spec = (rgba16 >> 8).astype(np.uint8)
        by_pil = pil_rgba8(path)
        if by_pil.shape != by_spec.shape or not np.array_equal(by_pil, by_spec):
            disagreements[name] = int((by_pil != by_spec).any(axis=-1).sum()) if by_pil.shape == by_spec.shape else -1
        height, width = by_spec.shape[:2]
        rgba8_by_name[name] = by_spec
        lines8.append(f"{name} {width}x{height} {sha256(by_spec.tobytes())}")
        lines16.append(f"{name} {width}x{height} {sha256(rgba16.astype('<u2').tobytes())}")
    if set(disagreements) != set(PIL_IS_ODD):
        sys.exit(f"PIL and pypng disagree on {sorted(disagreements)}; expected exactly {sorted(PIL_IS_ODD)}")
    for name, pixels in sorted(disagreements.items()):
        print(f"  PIL differs on {name} ({pixels} pixels): {PIL_IS_ODD[name]}; reference follows the specification")
    write("pngsuite-rgba8.sha256", lines8)
    write("pngsuite-rgba16.sha256", lines16)
    return rgba8_by_name


def luminance(rgb):
    r, g, b = (rgb[..., i].astype(np.int64) for i in range(3))
    return ((r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16).astype(np.uint8)


def check_luminance_formula():
    i = np.arange(1 << 24, dtype=np.uint32)
    rgb = np.stack([(i >> 16) & 255, (i >> 8) & 255, i & 255], axis=-1).astype(np.uint8).reshape(4096, 4096, 3)
    by_pil = np.asarray(Image.fromarray(rgb, "RGB").convert("L"))
    if not np.array_equal(by_pil, luminance(rgb)):
        sys.exit("PIL's convert('L') does not match (R*19595 + G*38470 + B*7471 + 0x8000) >> 16")
    print("  PIL's convert('L') equals (R*19595 + G*38470 + B*7471 + 0x8000) >> 16 for all 2^24 colors")
    write("luminance-all-colors.sha256",
          ["# pixel i of the 4096x4096 image is R = i >> 16, G = (i >> 8) & 255, B = i & 255",
           f"all-colors 4096x4096 {sha256(by_pil.tobytes())}"])


def make_masks():
    """Deterministic masks with hard and soft edges, every gray level, and some color, saved once."""
    square = os.path.join(HERE, "mask-1024x1024.png")
    if not os.path.exists(square):
        im = Image.new("RGB", (1024, 1024), "black")
        d = ImageDraw.Draw(im)
        d.ellipse((200, 150, 800, 650), fill="white")
        d.rectangle((60, 700, 400, 980), fill="white")
        d.polygon([(600, 720), (980, 700), (900, 1000)], fill=(250, 250, 250))
        for x in range(256):
            d.line((512 + x, 690, 512 + x, 740), fill=(x, x, x))
        for k, color in enumerate([(255, 0, 0), (0, 255, 0), (0, 0, 255), (255, 255, 0), (0, 255, 255), (128, 64, 200)]):
            d.rectangle((20 + k * 40, 20, 50 + k * 40, 120), fill=color)
        im.save(square, optimize=True)
    wide = os.path.join(HERE, "mask-1536x1024.png")
    if not os.path.exists(wide):
        im = Image.new("RGBA", (1536, 1024), (0, 0, 0, 255))
        d = ImageDraw.Draw(im)
        d.ellipse((300, 200, 1200, 900), fill=(255, 255, 255, 255))
        d.rectangle((1250, 50, 1500, 300), fill=(255, 255, 255, 0))  # white but transparent: the recipe ignores alpha
        d.rectangle((1250, 400, 1500, 650), fill=(0, 0, 0, 0))
        y, x = np.mgrid[0:256, 0:512]
        field = np.stack([x // 2, y, (x + y) % 256, np.full_like(x, 255)], axis=-1).astype(np.uint8)
        im.paste(Image.fromarray(field, "RGBA"), (20, 740))
        im.save(wide, optimize=True)
    return [square, wide]


def recipe_alpha(gray):
    """OpenAI's recipe from an L image: R = G = B = A = L."""
    rgba = gray.convert("RGBA")
    rgba.putalpha(gray)
    return np.asarray(rgba)


def variant(gray, spec):
    for step in spec.split(";"):
        words = step.split()
        if words[0] == "resize":
            w, h = (int(v) for v in words[1].split("x"))
            gray = gray.resize((w, h), {"nearest": Image.NEAREST, "bilinear": Image.BILINEAR}[words[2]])
        elif words[0] == "threshold":
            t = int(words[1])
            gray = gray.point(lambda v: 255 if v >= t else 0)
        elif words[0] == "invert":
            gray = ImageOps.invert(gray)
    return gray


MASK_VARIANTS = [
    "plain",
    "invert",
    "threshold 128",
    "threshold 1",
    "threshold 255;invert",
    "resize 1024x1024 nearest",
    "resize 1024x1024 bilinear",
    "resize 1536x1024 nearest",
    "resize 1536x1024 bilinear",
    "resize 333x517 bilinear",
    "resize 333x517 nearest",
    "resize 2048x1365 bilinear",
    "resize 1024x1024 bilinear;threshold 128;invert",
]


def make_mask_references(suite, rgba8_by_name, masks):
    lines = []
    for name, rgba8 in sorted(rgba8_by_name.items()):
        gray = Image.fromarray(rgba8, "RGBA").convert("L")
        with Image.open(os.path.join(suite, name)) as im:
            direct = im.convert("L")
            if name not in PIL_IS_ODD or "16-bit" not in PIL_IS_ODD[name]:
                if not np.array_equal(np.asarray(direct), np.asarray(gray)):
                    sys.exit(f"convert('L') of {name} differs from convert('L') of its RGBA8 reference")
        lines.append(f"{name}|plain {gray.width}x{gray.height} {sha256(recipe_alpha(gray).tobytes())}")
    for path in masks:
        name = os.path.basename(path)
        with Image.open(path) as im:
            gray = im.convert("L")
        for spec in MASK_VARIANTS:
            out = variant(gray, spec)
            lines.append(f"{name}|{spec} {out.width}x{out.height} {sha256(recipe_alpha(out).tobytes())}")
    write("alpha-mask.sha256", lines)


FIXTURES = ["encoder-fixture-rgba.png", "encoder-fixture-gray.png", "encoder-fixture-grayalpha.png"]


def check_fixtures():
    """Records what PIL sees in the PNGs our encoder wrote (the tests write identical ones)."""
    lines = []
    for name in FIXTURES:
        with Image.open(os.path.join(HERE, name)) as im:
            im.load()
            lines.append(f"{name} mode={im.mode} size={im.width}x{im.height} "
                         f"rgba8-sha256={sha256(im.convert('RGBA').tobytes())}")
    write("encoder-fixture.pil.txt", ["# Image.open(f).mode, .size and SHA-256 of .convert('RGBA').tobytes(), by PIL " + Image.__version__] + lines)


def write(name, lines):
    with open(os.path.join(HERE, name), "w", newline="\n") as f:
        f.write("\n".join(lines) + "\n")
    print(f"  wrote {name} ({len(lines)} lines)")


def main():
    if "--check-fixtures" in sys.argv:
        check_fixtures()
        return
    suite = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, *[".."] * 5, "shared", "testdata", "pngsuite")
    check_luminance_formula()
    rgba8 = make_suite_references(suite)
    make_mask_references(suite, rgba8, make_masks())


if __name__ == "__main__":
    main()
