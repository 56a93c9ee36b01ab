using System;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace OpenAIImages.Engine.Imaging
{
    /// <summary>The five PNG scanline filters, in both directions.</summary>
    internal static class PngFilter
    {
        public const byte None = 0, Sub = 1, Up = 2, Average = 3, Paeth = 4;

        /// <summary>Undoes filter <paramref name="type"/> in place; <paramref name="prior"/> is the previous unfiltered row (zeros for the first).</summary>
        [MethodImpl(HotPath.Optimize)]
        public static unsafe void Unfilter(byte type, Span<byte> row, ReadOnlySpan<byte> prior, int stride)
        {
            int n = row.Length;
            if (prior.Length < n) throw new ArgumentException("Prior row is shorter than the row.", nameof(prior));
            fixed (byte* r = row)
            fixed (byte* p = prior)
            {
                // Pixels of 3 and 4 bytes (RGB8, RGBA8) go a pixel at a time as one 32-bit word where the machine is
                // little-endian; 'done' is where the byte-at-a-time loop below takes over (3-byte pixels stop before
                // a word would read past the row).
                int done = stride;
                switch (type)
                {
                    case None:
                        return;
                    case Up:
                        PngFilterVectors.Add(row, prior);
                        return;
                    case Sub when stride == 4:
                        done = SubWords(r, n, 4, 0xFFFFFFFFu);
                        break;
                    case Sub when stride == 3 && BitConverter.IsLittleEndian:
                        done = SubWords(r, n, 3, 0x00FFFFFFu);
                        break;
                    case Sub:
                        break;
                    case Average when stride == 4:
                        done = AverageWords(r, p, n, 4);
                        break;
                    case Average when stride == 3 && BitConverter.IsLittleEndian:
                        done = AverageWords(r, p, n, 3);
                        break;
                    case Average:
                        for (int i = 0; i < stride && i < n; i++) r[i] = (byte)(r[i] + (p[i] >> 1));
                        break;
                    case Paeth when stride == 4 && Vector.IsHardwareAccelerated:
                        done = PaethWords(r, p, n, 4);
                        break;
                    case Paeth when stride == 3 && BitConverter.IsLittleEndian && Vector.IsHardwareAccelerated:
                        done = PaethWords(r, p, n, 3);
                        break;
                    case Paeth:
                        for (int i = 0; i < stride && i < n; i++) r[i] = (byte)(r[i] + p[i]);
                        break;
                    default:
                        throw new ArgumentOutOfRangeException(nameof(type), type, "Filter type must be 0 to 4.");
                }
                if (done == 0)
                {
                    // A row of a single 3-byte pixel holds no whole word: its first pixel is done here.
                    if (type == Average) for (int i = 0; i < stride && i < n; i++) r[i] = (byte)(r[i] + (p[i] >> 1));
                    if (type == Paeth) for (int i = 0; i < stride && i < n; i++) r[i] = (byte)(r[i] + p[i]);
                    done = stride;
                }
                switch (type)
                {
                    case Sub:
                        for (int i = done; i < n; i++) r[i] = (byte)(r[i] + r[i - stride]);
                        break;
                    case Average:
                        for (int i = done; i < n; i++) r[i] = (byte)(r[i] + ((r[i - stride] + p[i]) >> 1));
                        break;
                    case Paeth:
                        for (int i = done; i < n; i++) r[i] = (byte)(r[i] + PredictWithoutBranches(r[i - stride], p[i], p[i - stride]));
                        break;
                }
            }
        }

        // Sub and Average keep their pixel-to-pixel dependency, but each step handles a whole pixel as one 32-bit
        // word, its bytes added (or averaged) without carries between them. The operations are per byte, so for 4-byte
        // pixels the byte order of the word does not matter. For 3-byte pixels the word's fourth byte belongs to the
        // next pixel: it is computed and thrown away (only the low three bytes, the pixel's on a little-endian
        // machine, are written back).
        private const uint High = 0x80808080u, Low = 0x7F7F7F7Fu;

        /// <summary>Byte-wise a + b, each byte modulo 256.</summary>
        private static uint AddBytes(uint a, uint b) => ((a & Low) + (b & Low)) ^ ((a ^ b) & High);

        /// <summary>Byte-wise floor((a + b) / 2).</summary>
        private static uint AverageBytes(uint a, uint b) => (a & b) + (((a ^ b) & 0xFEFEFEFEu) >> 1);

        /// <summary>
        /// Writes a pixel's bytes from its word. A 3-byte pixel is written as two bytes and one, never as the whole
        /// word: the next pixel's word is read from the bytes just after, and a read that overlaps part of a store
        /// still in flight waits for it (store forwarding fails), which cost more than the unfiltering itself.
        /// </summary>
        private static unsafe void Store(byte* at, uint word, int stride)
        {
            if (stride == 4)
            {
                *(uint*)at = word;
            }
            else
            {
                *(ushort*)at = (ushort)word;
                at[2] = (byte)(word >> 16);
            }
        }

        /// <summary>Undoes Sub for the pixels whose word fits in the row; returns the first byte not done.</summary>
        [MethodImpl(HotPath.Optimize)]
        private static unsafe int SubWords(byte* row, int length, int stride, uint pixelMask)
        {
            uint left = 0;
            int i = 0;
            for (; i + 4 <= length; i += stride)
            {
                uint word = *(uint*)(row + i);
                // A zero difference, the whole of a flat area such as a mask's, leaves the pixel equal to its left
                // neighbour with no arithmetic on the dependency chain.
                if ((word & pixelMask) != 0) left = AddBytes(word, left);
                Store(row + i, left, stride);
            }
            return i;
        }

        /// <summary>Undoes Average for the pixels whose word fits in the row; returns the first byte not done.</summary>
        [MethodImpl(HotPath.Optimize)]
        private static unsafe int AverageWords(byte* row, byte* prior, int length, int stride)
        {
            uint left = 0;
            int i = 0;
            for (; i + 4 <= length; i += stride)
            {
                uint word = *(uint*)(row + i);
                left = AddBytes(word, AverageBytes(left, *(uint*)(prior + i)));
                Store(row + i, left, stride);
            }
            return i;
        }

        /// <summary>
        /// Undoes Paeth a pixel at a time with the pixel's bytes side by side in 16-bit vector lanes, for the pixels
        /// whose word fits in the row; returns the first byte not done. The predictor's three distances, two
        /// comparisons and two selections are each one vector operation for all four bytes, where the byte loop pays
        /// them four times. Every lane holds a copy of the pixel (the word is broadcast); lane 0..3 is read back.
        /// Above and upper-left are the prior row's pixel and the one before it (zero before the first), and left
        /// starts at zero, for which the predictor gives above, as the first pixel's rule says.
        /// </summary>
        [MethodImpl(HotPath.Optimize)]
        private static unsafe int PaethWords(byte* row, byte* prior, int length, int stride)
        {
            var low = new Vector<short>(0xFF);
            var left = Vector<short>.Zero;
            var upperLeft = Vector<short>.Zero;
            int i = 0;
            for (; i + 4 <= length; i += stride)
            {
                uint word = *(uint*)(row + i);
                var above = Spread(*(uint*)(prior + i));
                var current = Spread(word);
                var aboveMinusCorner = above - upperLeft;
                var pa = Vector.Abs(aboveMinusCorner);
                var leftMinusCorner = left - upperLeft;
                var pb = Vector.Abs(leftMinusCorner);
                var pc = Vector.Abs(leftMinusCorner + aboveMinusCorner);
                // Above when pb <= pc, else upper-left; left when pa is no more than the distance of that choice.
                var useAbove = Vector.LessThanOrEqual(pb, pc);
                var second = Vector.ConditionalSelect(useAbove, above, upperLeft);
                var useLeft = Vector.LessThanOrEqual(pa, Vector.Min(pb, pc));
                left = (current + Vector.ConditionalSelect(useLeft, left, second)) & low;
                upperLeft = above;
                uint result = Vector.AsVectorUInt32(Vector.Narrow(Vector.AsVectorUInt16(left), Vector.AsVectorUInt16(left)))[0];
                Store(row + i, result, stride);
            }
            return i;
        }

        /// <summary>Four bytes as the first four 16-bit lanes of a vector (and again in the lanes after).</summary>
        private static Vector<short> Spread(uint word)
        {
            Vector.Widen(Vector.AsVectorByte(new Vector<uint>(word)), out Vector<ushort> lanes, out _);
            return Vector.AsVectorInt16(lanes);
        }

        /// <summary>
        /// <see cref="Predict"/> without branches: on photographic rows the three-way choice is close to random, and
        /// a mispredicted branch costs more than computing both selections with masks.
        /// </summary>
        private static int PredictWithoutBranches(int left, int above, int upperLeft)
        {
            int pa = above - upperLeft, pb = left - upperLeft;
            int pc = pa + pb;
            pa = (pa ^ (pa >> 31)) - (pa >> 31);
            pb = (pb ^ (pb >> 31)) - (pb >> 31);
            pc = (pc ^ (pc >> 31)) - (pc >> 31);
            // Above when pb <= pc, else the upper-left; then left when pa is no more than the winner's distance.
            int useUpperLeft = (pc - pb) >> 31;
            int second = above ^ ((above ^ upperLeft) & useUpperLeft);
            int secondDistance = pb ^ ((pb ^ pc) & useUpperLeft);
            int useSecond = (secondDistance - pa) >> 31;
            return left ^ ((left ^ second) & useSecond);
        }

        /// <summary>
        /// Writes filter <paramref name="type"/> of <paramref name="row"/> into <paramref name="output"/> and returns
        /// libpng's cost of the result: the sum of the output bytes read as signed values, in absolute value.
        /// </summary>
        public static long Apply(byte type, ReadOnlySpan<byte> row, ReadOnlySpan<byte> prior, int stride, Span<byte> output) =>
            Apply(type, row, prior, stride, output, long.MaxValue);

        // The block a row is filtered and scored in before the cost so far is compared with the limit.
        private const int ScoreBlock = 2048;

        /// <summary>
        /// As <see cref="Apply(byte, ReadOnlySpan{byte}, ReadOnlySpan{byte}, int, Span{byte})"/>, but gives up and
        /// returns long.MaxValue as soon as the cost passes <paramref name="limit"/>; the output is then incomplete.
        /// </summary>
        [MethodImpl(HotPath.Optimize)]
        public static long Apply(byte type, ReadOnlySpan<byte> row, ReadOnlySpan<byte> prior, int stride, Span<byte> output, long limit)
        {
            int n = row.Length;
            if (prior.Length < n || output.Length < n) throw new ArgumentException("Buffers are shorter than the row.");
            if (type > Paeth) throw new ArgumentOutOfRangeException(nameof(type), type, "Filter type must be 0 to 4.");
            long cost = 0;
            for (int start = 0; start < n; start += ScoreBlock)
            {
                int end = Math.Min(n, start + ScoreBlock);
                var upTo = row.Slice(0, end);
                switch (type)
                {
                    case None:
                        row.Slice(start, end - start).CopyTo(output.Slice(start));
                        break;
                    case Sub:
                        PngFilterVectors.Subtract(upTo, row, stride, output, start);
                        break;
                    case Up:
                        PngFilterVectors.Subtract(upTo, prior, 0, output, start);
                        break;
                    case Average:
                        PngFilterVectors.ApplyAverage(upTo, prior, stride, output, start);
                        break;
                    default:
                        PngFilterVectors.ApplyPaeth(upTo, prior, stride, output, start);
                        break;
                }
                cost += PngFilterVectors.SumOfSignedMagnitudes(output.Slice(start, end - start));
                if (cost > limit) return long.MaxValue;
            }
            return cost;
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
