using System;
using System.Runtime.CompilerServices;
using System.Numerics;
using System.Runtime.InteropServices;

namespace OpenAIImages.Engine.Imaging
{
    /// <summary>The checksum that ends every zlib stream.</summary>
    /// <remarks>
    /// A decoded PNG passes every byte of its image data through here, 64 MiB for a 4096x4096 RGBA mask, so the sums
    /// are taken a vector (W bytes) at a time where the hardware allows: over n bytes after a running sum a0, a grows
    /// by the bytes' sum and b by n * a0 + the sum of (n - i) * byte i. Each byte's weight splits into
    /// W * (chunks from its own to the end) - (its position in the chunk), so the loop keeps only 16-bit column sums
    /// and their running prefix, and multiplies once per fold of 23 chunks.
    /// </remarks>
    internal static class Adler32
    {
        private const uint Modulus = 65521;

        // The largest run of bytes whose sums cannot overflow 32 bits before the modulo is taken (zlib's NMAX).
        private const int BlockLength = 5552;

        public const uint Initial = 1;

        [MethodImpl(HotPath.Optimize)]
        public static uint Update(uint adler, ReadOnlySpan<byte> data)
        {
            uint a = adler & 0xFFFF, b = adler >> 16;
            int width = Vector<byte>.Count;
            // Whole vectors only, in blocks under NMAX: 5552 rounded down to a multiple of the vector width.
            int vectorBlock = BlockLength / width * width;
            if (Vector.IsHardwareAccelerated && width >= 16)
            {
                while (data.Length >= width)
                {
                    int n = Math.Min(data.Length / width * width, vectorBlock);
                    VectorBlock(data.Slice(0, n), ref a, ref b);
                    data = data.Slice(n);
                }
            }
            while (data.Length > 0)
            {
                int n = Math.Min(data.Length, BlockLength);
                var block = data.Slice(0, n);
                int i = 0;
                for (; i + 4 <= n; i += 4)
                {
                    a += block[i]; b += a;
                    a += block[i + 1]; b += a;
                    a += block[i + 2]; b += a;
                    a += block[i + 3]; b += a;
                }
                for (; i < n; i++) { a += block[i]; b += a; }
                a %= Modulus;
                b %= Modulus;
                data = data.Slice(n);
            }
            return (b << 16) | a;
        }

        // Chunks summed in 16-bit lanes before a fold: the running prefix of a lane reaches 255 * K * (K - 1) / 2,
        // which stays under 65536 for K = 23.
        private const int ChunksPerFold = 23;

        [MethodImpl(HotPath.Optimize)]
        private static void VectorBlock(ReadOnlySpan<byte> block, ref uint a, ref uint b)
        {
            int width = Vector<byte>.Count;
            var lanes = LaneIndexes.Value;
            var chunks = MemoryMarshal.Cast<byte, Vector<byte>>(block);
            ulong sumA = a, sumB = b;
            for (int start = 0; start < chunks.Length; start += ChunksPerFold)
            {
                int count = Math.Min(ChunksPerFold, chunks.Length - start);
                // Per byte position l of a chunk: column = the sum of its bytes so far, prefix = the sum of the
                // columns before each chunk. Two additions and a widening a chunk, all in 16-bit lanes.
                Vector<ushort> columnLow = Vector<ushort>.Zero, columnHigh = Vector<ushort>.Zero;
                Vector<ushort> prefixLow = Vector<ushort>.Zero, prefixHigh = Vector<ushort>.Zero;
                for (int j = start; j < start + count; j++)
                {
                    prefixLow += columnLow;
                    prefixHigh += columnHigh;
                    Vector.Widen(chunks[j], out Vector<ushort> low, out Vector<ushort> high);
                    columnLow += low;
                    columnHigh += high;
                }
                // Over these n = count * W bytes, a grows by their sum and b by n * a + the sum of (n - i) * byte i.
                // Byte l of chunk j has weight W * (count - j) - l, and the sum over j of (count - j) * byte is the
                // column plus the prefix of its position.
                Vector.Widen(columnLow, out Vector<uint> c0, out Vector<uint> c1);
                Vector.Widen(columnHigh, out Vector<uint> c2, out Vector<uint> c3);
                Vector.Widen(prefixLow, out Vector<uint> p0, out Vector<uint> p1);
                Vector.Widen(prefixHigh, out Vector<uint> p2, out Vector<uint> p3);
                ulong bytes = Vector.Dot(c0 + c1 + c2 + c3, Vector<uint>.One);
                ulong prefix = Vector.Dot(p0 + p1 + p2 + p3, Vector<uint>.One);
                ulong byPosition = (ulong)Vector.Dot(c0, lanes[0]) + Vector.Dot(c1, lanes[1]) + Vector.Dot(c2, lanes[2]) + Vector.Dot(c3, lanes[3]);
                ulong n = (ulong)count * (ulong)width;
                sumB += n * sumA + (ulong)width * (prefix + bytes) - byPosition;
                sumA += bytes;
            }
            a = (uint)(sumA % Modulus);
            b = (uint)(sumB % Modulus);
        }

        /// <summary>Each lane's byte position within a chunk, for the four widened quarters of a chunk.</summary>
        private static readonly Lazy<Vector<uint>[]> LaneIndexes = new Lazy<Vector<uint>[]>(() =>
        {
            int lanes = Vector<uint>.Count;
            var result = new Vector<uint>[4];
            for (int k = 0; k < 4; k++)
            {
                var values = new uint[lanes];
                for (int lane = 0; lane < lanes; lane++) values[lane] = (uint)(k * lanes + lane);
                result[k] = new Vector<uint>(values);
            }
            return result;
        });
    }
}
