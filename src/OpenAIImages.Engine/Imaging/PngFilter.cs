using System;

namespace OpenAIImages.Engine.Imaging
{
    /// <summary>The five PNG scanline filters, in both directions.</summary>
    internal static class PngFilter
    {
        public const byte None = 0, Sub = 1, Up = 2, Average = 3, Paeth = 4;

        /// <summary>Undoes filter <paramref name="type"/> in place; <paramref name="prior"/> is the previous unfiltered row (zeros for the first).</summary>
        public static unsafe void Unfilter(byte type, Span<byte> row, ReadOnlySpan<byte> prior, int stride)
        {
            int n = row.Length;
            if (prior.Length < n) throw new ArgumentException("Prior row is shorter than the row.", nameof(prior));
            fixed (byte* r = row)
            fixed (byte* p = prior)
            {
                switch (type)
                {
                    case None:
                        break;
                    case Sub when stride == 4:
                        SubRgba8((uint*)r, n / 4);
                        for (int i = n / 4 * 4; i < n; i++) r[i] = (byte)(r[i] + r[i - stride]);
                        break;
                    case Sub:
                        for (int i = stride; i < n; i++) r[i] = (byte)(r[i] + r[i - stride]);
                        break;
                    case Up:
                        PngFilterVectors.Add(row, prior);
                        break;
                    case Average when stride == 4 && n % 4 == 0:
                        AverageRgba8((uint*)r, (uint*)p, n / 4);
                        break;
                    case Average:
                        for (int i = 0; i < stride && i < n; i++) r[i] = (byte)(r[i] + (p[i] >> 1));
                        for (int i = stride; i < n; i++) r[i] = (byte)(r[i] + ((r[i - stride] + p[i]) >> 1));
                        break;
                    case Paeth:
                        for (int i = 0; i < stride && i < n; i++) r[i] = (byte)(r[i] + p[i]);
                        for (int i = stride; i < n; i++) r[i] = (byte)(r[i] + Predict(r[i - stride], p[i], p[i - stride]));
                        break;
                    default:
                        throw new ArgumentOutOfRangeException(nameof(type), type, "Filter type must be 0 to 4.");
                }
            }
        }

        // Four 8-bit samples a pixel (RGBA8, and any 4-byte stride): the pixel-to-pixel dependency of Sub and Average
        // stays, but each step handles a whole pixel as one 32-bit word, the four bytes added (or averaged) without
        // carries between them. The byte order of the word does not matter: every operation is per byte.
        private const uint High = 0x80808080u, Low = 0x7F7F7F7Fu;

        /// <summary>Byte-wise a + b, each byte modulo 256.</summary>
        private static uint AddBytes(uint a, uint b) => ((a & Low) + (b & Low)) ^ ((a ^ b) & High);

        /// <summary>Byte-wise floor((a + b) / 2).</summary>
        private static uint AverageBytes(uint a, uint b) => (a & b) + (((a ^ b) & 0xFEFEFEFEu) >> 1);

        private static unsafe void SubRgba8(uint* row, int pixels)
        {
            uint left = 0;
            for (int i = 0; i < pixels; i++)
            {
                left = AddBytes(row[i], left);
                row[i] = left;
            }
        }

        private static unsafe void AverageRgba8(uint* row, uint* prior, int pixels)
        {
            uint left = 0;
            for (int i = 0; i < pixels; i++)
            {
                left = AddBytes(row[i], AverageBytes(left, prior[i]));
                row[i] = left;
            }
        }

        /// <summary>
        /// Writes filter <paramref name="type"/> of <paramref name="row"/> into <paramref name="output"/> and returns
        /// libpng's cost of the result: the sum of the output bytes read as signed values, in absolute value.
        /// </summary>
        public static long Apply(byte type, ReadOnlySpan<byte> row, ReadOnlySpan<byte> prior, int stride, Span<byte> output)
        {
            int n = row.Length;
            if (prior.Length < n || output.Length < n) throw new ArgumentException("Buffers are shorter than the row.");
            output = output.Slice(0, n);
            switch (type)
            {
                case None:
                    row.CopyTo(output);
                    break;
                case Sub:
                    PngFilterVectors.Subtract(row, row, stride, output);
                    break;
                case Up:
                    PngFilterVectors.Subtract(row, prior, 0, output);
                    break;
                case Average:
                    PngFilterVectors.ApplyAverage(row, prior, stride, output);
                    break;
                case Paeth:
                    PngFilterVectors.ApplyPaeth(row, prior, stride, output);
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(type), type, "Filter type must be 0 to 4.");
            }
            return PngFilterVectors.SumOfSignedMagnitudes(output);
        }

        /// <summary>
        /// The Paeth predictor: whichever of left, above and upper-left is closest to left + above - upper-left.
        /// <see cref="PngFilterVectors.ApplyPaeth"/> computes the same for many bytes at a time.
        /// </summary>
        internal static int Predict(int left, int above, int upperLeft)
        {
            int pa = Math.Abs(above - upperLeft);
            int pb = Math.Abs(left - upperLeft);
            int pc = Math.Abs(left + above - 2 * upperLeft);
            if (pa <= pb && pa <= pc) return left;
            return pb <= pc ? above : upperLeft;
        }
    }
}
