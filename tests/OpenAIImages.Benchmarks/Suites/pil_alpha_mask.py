"""OpenAI's published mask recipe with Pillow, timed inside the interpreter.

Usage: pil_alpha_mask.py MASK OUT ITERATIONS
Prints one JSON line: per-iteration seconds, peak resident-set growth per iteration (bytes, from /proc/self/status
after resetting the peak through /proc/self/clear_refs), output size, Pillow and zlib versions.
"""
import json
import sys
import time
import zlib
from io import BytesIO

import PIL
from PIL import Image


def rss_kib(field):
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field):
                return int(line.split()[1])
    return 0


def reset_peak():
    try:
        with open("/proc/self/clear_refs", "w") as refs:
            refs.write("5")
        return rss_kib("VmRSS:")
    except OSError:
        return None


def convert(mask_path, out_path):
    # The recipe, step for step, as the image generation guide gives it.
    mask = Image.open(mask_path).convert("L")
    mask_rgba = mask.convert("RGBA")
    mask_rgba.putalpha(mask)
    buf = BytesIO()
    mask_rgba.save(buf, format="PNG")
    mask_bytes = buf.getvalue()
    with open(out_path, "wb") as f:
        f.write(mask_bytes)
    return len(mask_bytes)


def main():
    mask_path, out_path, iterations = sys.argv[1], sys.argv[2], int(sys.argv[3])
    seconds, peaks, size = [], [], 0
    for _ in range(iterations):
        start_rss = reset_peak()
        start = time.perf_counter()
        size = convert(mask_path, out_path)
        seconds.append(time.perf_counter() - start)
        if start_rss is not None:
            peaks.append((rss_kib("VmHWM:") - start_rss) * 1024)
    print(json.dumps({"seconds": seconds, "peak_growth": peaks, "output_bytes": size,
                      "pillow": PIL.__version__, "zlib": zlib.ZLIB_RUNTIME_VERSION}))


if __name__ == "__main__":
    main()
