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
                    case Sub:
                        for (int i = stride; i < n; i++) r[i] = (byte)(r[i] + r[i - stride]);
                        break;
                    case Up:
                        for (int i = 0; i < n; i++) r[i] = (byte)(r[i] + p[i]);
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

        /// <summary>
        /// Writes filter <paramref name="type"/> of <paramref name="row"/> into <paramref name="output"/> and returns
        /// libpng's cost of the result: the sum of the output bytes read as signed values, in absolute value.
        /// </summary>
        public static unsafe int Apply(byte type, ReadOnlySpan<byte> row, ReadOnlySpan<byte> prior, int stride, Span<byte> output)
        {
            int n = row.Length;
            if (prior.Length < n || output.Length < n) throw new ArgumentException("Buffers are shorter than the row.");
            int head = Math.Min(stride, n);
            fixed (byte* r = row)
            fixed (byte* p = prior)
            fixed (byte* o = output)
            {
                switch (type)
                {
                    case None:
                        for (int i = 0; i < n; i++) o[i] = r[i];
                        break;
                    case Sub:
                        for (int i = 0; i < head; i++) o[i] = r[i];
                        for (int i = stride; i < n; i++) o[i] = (byte)(r[i] - r[i - stride]);
                        break;
                    case Up:
                        for (int i = 0; i < n; i++) o[i] = (byte)(r[i] - p[i]);
                        break;
                    case Average:
                        for (int i = 0; i < head; i++) o[i] = (byte)(r[i] - (p[i] >> 1));
                        for (int i = stride; i < n; i++) o[i] = (byte)(r[i] - ((r[i - stride] + p[i]) >> 1));
                        break;
                    case Paeth:
                        for (int i = 0; i < head; i++) o[i] = (byte)(r[i] - p[i]);
                        for (int i = stride; i < n; i++) o[i] = (byte)(r[i] - Predict(r[i - stride], p[i], p[i - stride]));
                        break;
                    default:
                        throw new ArgumentOutOfRangeException(nameof(type), type, "Filter type must be 0 to 4.");
                }
                int cost = 0;
                for (int i = 0; i < n; i++)
                {
                    int v = o[i];
                    cost += v < 128 ? v : 256 - v;
                }
                return cost;
            }
        }

        /// <summary>The Paeth predictor: whichever of left, above and upper-left is closest to left + above - upper-left.</summary>
        private static int Predict(int left, int above, int upperLeft)
        {
            int pa = Math.Abs(above - upperLeft);
            int pb = Math.Abs(left - upperLeft);
            int pc = Math.Abs(left + above - 2 * upperLeft);
            if (pa <= pb && pa <= pc) return left;
            return pb <= pc ? above : upperLeft;
        }
    }
}
