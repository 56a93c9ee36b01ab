using System;

namespace OpenAIImages.Engine.Imaging
{
    /// <summary>The checksum that ends every zlib stream.</summary>
    internal static class Adler32
    {
        private const uint Modulus = 65521;

        // The largest run of bytes whose sums cannot overflow 32 bits before the modulo is taken (zlib's NMAX).
        private const int BlockLength = 5552;

        public const uint Initial = 1;

        public static uint Update(uint adler, ReadOnlySpan<byte> data)
        {
            uint a = adler & 0xFFFF, b = adler >> 16;
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
    }
}
