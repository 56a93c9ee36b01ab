using System;
using System.Runtime.CompilerServices;

namespace OpenAIImages.Engine.Imaging
{
    /// <summary>
    /// Gray levels exactly as PIL's Image.convert("L") computes them: ITU-R 601-2 luma in 16-bit fixed point,
    /// L = (R·19595 + G·38470 + B·7471 + 0x8000) >> 16. Checked against PIL for all 2^24 colors; the older
    /// (R·299 + G·587 + B·114) / 1000 differs from it for half of them, so it must not be used here.
    /// </summary>
    internal static class Luminance
    {
        public static byte Of(byte red, byte green, byte blue) => (byte)((red * 19595 + green * 38470 + blue * 7471 + 0x8000) >> 16);

        /// <summary>Fills one gray byte per RGBA pixel; alpha is ignored, as PIL's conversion ignores it.</summary>
        [MethodImpl(HotPath.Optimize)]
        public static unsafe void FromRgba(ReadOnlySpan<byte> rgba, Span<byte> gray)
        {
            int count = rgba.Length / 4;
            if (gray.Length < count) throw new ArgumentException("Gray buffer is shorter than the pixel count.", nameof(gray));
            fixed (byte* src = rgba)
            fixed (byte* dst = gray)
            {
                byte* s = src;
                for (int i = 0; i < count; i++, s += 4)
                    dst[i] = (byte)((s[0] * 19595 + s[1] * 38470 + s[2] * 7471 + 0x8000) >> 16);
            }
        }
    }
}
