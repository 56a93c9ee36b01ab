using System;

namespace OpenAIImages.Engine.Imaging
{
    /// <summary>PLTE colors merged with tRNS alphas, stored as ready-to-copy RGBA8 entries.</summary>
    internal sealed class PngPalette
    {
        public int Count { get; }

        /// <summary>256 entries of 4 bytes; entries past <see cref="Count"/> stay zero and are never read.</summary>
        public byte[] Rgba { get; } = new byte[256 * 4];

        public PngPalette(ReadOnlySpan<byte> plte)
        {
            if (plte.Length == 0 || plte.Length % 3 != 0 || plte.Length > 256 * 3)
                throw ImageDecodeException.Corrupt($"PLTE chunk has length {plte.Length}; it must be a multiple of 3 from 3 to 768.");
            Count = plte.Length / 3;
            for (int i = 0; i < Count; i++)
            {
                Rgba[i * 4] = plte[i * 3];
                Rgba[i * 4 + 1] = plte[i * 3 + 1];
                Rgba[i * 4 + 2] = plte[i * 3 + 2];
                Rgba[i * 4 + 3] = 255;
            }
        }

        public void ApplyTransparency(ReadOnlySpan<byte> trns)
        {
            if (trns.Length > Count)
                throw ImageDecodeException.Corrupt($"tRNS chunk has {trns.Length} alpha values but the palette has only {Count} entries.");
            for (int i = 0; i < trns.Length; i++) Rgba[i * 4 + 3] = trns[i];
        }
    }
}
