using System;
using System.Runtime.CompilerServices;

namespace OpenAIImages.Engine.Imaging
{
    /// <summary>Turns one unfiltered scanline of any color type and bit depth into RGBA pixels in a sink.</summary>
    internal static class PngRowConverter
    {
        /// <summary>
        /// Converts <paramref name="count"/> pixels of <paramref name="row"/> (filter byte already removed) and stores
        /// pixel i at index <paramref name="firstIndex"/> + i * <paramref name="indexStep"/>.
        /// </summary>
        [MethodImpl(HotPath.Optimize)]
        public static void Convert<TSink>(ref TSink sink, in PngHeader header, PngPalette? palette, in PngTransparentColor key,
            ReadOnlySpan<byte> row, int count, int firstIndex, int indexStep)
            where TSink : struct, IPngPixelSink
        {
            int depth = header.BitDepth;
            switch (header.ColorType)
            {
                case PngColorType.Gray when depth == 16:
                    for (int i = 0, at = firstIndex; i < count; i++, at += indexStep)
                    {
                        ushort g = BigEndian.ReadUInt16(row, i * 2);
                        sink.Put16(at, g, g, g, key.Present && g == key.Gray ? (ushort)0 : ushort.MaxValue);
                    }
                    break;
                case PngColorType.Gray:
                    {
                        int max = (1 << depth) - 1;
                        int scale = 255 / max;
                        for (int i = 0, at = firstIndex; i < count; i++, at += indexStep)
                        {
                            int v = Sample(row, i, depth);
                            byte g = (byte)(v * scale);
                            sink.Put8(at, g, g, g, key.Present && v == key.Gray ? (byte)0 : (byte)255);
                        }
                    }
                    break;
                case PngColorType.Rgb when depth == 16:
                    for (int i = 0, at = firstIndex; i < count; i++, at += indexStep)
                    {
                        ushort r = BigEndian.ReadUInt16(row, i * 6), g = BigEndian.ReadUInt16(row, i * 6 + 2), b = BigEndian.ReadUInt16(row, i * 6 + 4);
                        bool clear = key.Present && r == key.Red && g == key.Green && b == key.Blue;
                        sink.Put16(at, r, g, b, clear ? (ushort)0 : ushort.MaxValue);
                    }
                    break;
                case PngColorType.Rgb when indexStep == 1 && !key.Present:
                    sink.PutOpaqueRgb8Run(firstIndex, row.Slice(0, count * 3));
                    break;
                case PngColorType.Rgb:
                    for (int i = 0, at = firstIndex; i < count; i++, at += indexStep)
                    {
                        byte r = row[i * 3], g = row[i * 3 + 1], b = row[i * 3 + 2];
                        bool clear = key.Present && r == key.Red && g == key.Green && b == key.Blue;
                        sink.Put8(at, r, g, b, clear ? (byte)0 : (byte)255);
                    }
                    break;
                case PngColorType.Palette:
                    {
                        var table = palette!.Rgba;
                        int entries = palette.Count;
                        for (int i = 0, at = firstIndex; i < count; i++, at += indexStep)
                        {
                            int index = depth == 8 ? row[i] : Sample(row, i, depth);
                            if (index >= entries)
                                throw ImageDecodeException.Corrupt($"Palette index {index} is out of range; the palette has {entries} entries.");
                            int e = index * 4;
                            sink.Put8(at, table[e], table[e + 1], table[e + 2], table[e + 3]);
                        }
                    }
                    break;
                case PngColorType.GrayAlpha when depth == 16:
                    for (int i = 0, at = firstIndex; i < count; i++, at += indexStep)
                    {
                        ushort g = BigEndian.ReadUInt16(row, i * 4);
                        sink.Put16(at, g, g, g, BigEndian.ReadUInt16(row, i * 4 + 2));
                    }
                    break;
                case PngColorType.GrayAlpha:
                    for (int i = 0, at = firstIndex; i < count; i++, at += indexStep)
                    {
                        byte g = row[i * 2];
                        sink.Put8(at, g, g, g, row[i * 2 + 1]);
                    }
                    break;
                case PngColorType.Rgba when depth == 16:
                    for (int i = 0, at = firstIndex; i < count; i++, at += indexStep)
                    {
                        int o = i * 8;
                        sink.Put16(at, BigEndian.ReadUInt16(row, o), BigEndian.ReadUInt16(row, o + 2), BigEndian.ReadUInt16(row, o + 4), BigEndian.ReadUInt16(row, o + 6));
                    }
                    break;
                case PngColorType.Rgba when indexStep == 1:
                    sink.PutRgba8Run(firstIndex, row.Slice(0, count * 4));
                    break;
                case PngColorType.Rgba:
                    for (int i = 0, at = firstIndex; i < count; i++, at += indexStep)
                    {
                        int o = i * 4;
                        sink.Put8(at, row[o], row[o + 1], row[o + 2], row[o + 3]);
                    }
                    break;
            }
        }

        /// <summary>The i-th packed sample of a 1, 2 or 4-bit row; PNG packs the leftmost pixel in the high bits.</summary>
        private static int Sample(ReadOnlySpan<byte> row, int i, int depth)
        {
            int bit = i * depth;
            int shift = 8 - depth - (bit & 7);
            return (row[bit >> 3] >> shift) & ((1 << depth) - 1);
        }
    }
}
