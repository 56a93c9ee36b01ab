using System;
using System.Numerics;
using System.Runtime.InteropServices;

namespace OpenAIImages.Engine.Imaging
{
    /// <summary>The checksum that ends every zlib stream.</summary>
    /// <remarks>
    /// A decoded PNG passes every byte of its image data through here, 64 MiB for a 4096x4096 RGBA mask, so the sums
    /// are taken a vector at a time where the hardware allows: over a block of n bytes after a running sum a0,
    /// a grows by the bytes' sum and b by n * a0 + the sum of (n - i) * byte i. Each byte's weight splits into
    /// W * (chunks after its own) + (W - its lane), kept in a prefix-sum vector and a weighted vector that the block's
    /// end folds into a and b. Blocks stay under zlib's NMAX, so no 32-bit lane overflows before the modulo.
    /// </remarks>
    internal static class Adler32
    {
        private const uint Modulus = 65521;

        // The largest run of bytes whose sums cannot overflow 32 bits before the modulo is taken (zlib's NMAX).
        private const int BlockLength = 5552;

        public const uint Initial = 1;

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

        private static void VectorBlock(ReadOnlySpan<byte> block, ref uint a, ref uint b)
        {
            int width = Vector<byte>.Count;
            var weights = Weights.Value;
            var sum = Vector<uint>.Zero;
            var prefix = Vector<uint>.Zero;
            var weighted = Vector<uint>.Zero;
            var chunks = MemoryMarshal.Cast<byte, Vector<byte>>(block);
            foreach (var chunk in chunks)
            {
                prefix += sum;
                Vector.Widen(chunk, out Vector<ushort> low, out Vector<ushort> high);
                Vector.Widen(low, out Vector<uint> v0, out Vector<uint> v1);
                Vector.Widen(high, out Vector<uint> v2, out Vector<uint> v3);
                sum += v0 + v1 + v2 + v3;
                weighted += v0 * weights[0] + v1 * weights[1] + v2 * weights[2] + v3 * weights[3];
            }
            uint n = (uint)block.Length;
            ulong bytes = Vector.Dot(sum, Vector<uint>.One);
            ulong total = b + (ulong)n * a + (ulong)width * Vector.Dot(prefix, Vector<uint>.One) + Vector.Dot(weighted, Vector<uint>.One);
            a = (uint)((a + bytes) % Modulus);
            b = (uint)(total % Modulus);
        }

        /// <summary>The weight of each lane of a chunk: W - (its byte's place in the chunk).</summary>
        private static readonly Lazy<Vector<uint>[]> Weights = new Lazy<Vector<uint>[]>(() =>
        {
            int width = Vector<byte>.Count, lanes = Vector<uint>.Count;
            var result = new Vector<uint>[4];
            for (int k = 0; k < 4; k++)
            {
                var values = new uint[lanes];
                for (int lane = 0; lane < lanes; lane++) values[lane] = (uint)(width - (k * lanes + lane));
                result[k] = new Vector<uint>(values);
            }
            return result;
        });
    }
}
