using System;
using System.Runtime.CompilerServices;

namespace OpenAIImages.Engine.Imaging
{
    /// <summary>The CRC-32 that PNG chunks and zlib-adjacent formats use (polynomial 0xEDB88320).</summary>
    public static class Crc32
    {
        // Slicing by sixteen: sixteen independent table look-ups per 16 bytes instead of a chain of one per byte,
        // since the decoder checks every byte of its input and inputs run to tens of megabytes (a 4.6 MB photo costs
        // about 2 ms instead of 4.5 ms by four bytes at a time). Table k holds the CRC of a byte followed by k zero
        // bytes; the sixteen tables take 16 KiB, which stays in the first-level cache.
        private static readonly uint[] Tables = BuildTables();

        private static uint[] BuildTables()
        {
            var t = new uint[16 * 256];
            for (uint n = 0; n < 256; n++)
            {
                uint c = n;
                for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
                t[n] = c;
            }
            for (int n = 0; n < 256; n++)
                for (int s = 1; s < 16; s++)
                {
                    uint prev = t[(s - 1) * 256 + n];
                    t[s * 256 + n] = t[prev & 0xFF] ^ (prev >> 8);
                }
            return t;
        }

        /// <summary>Continues a running CRC (start with 0xFFFFFFFF, finish by xor with 0xFFFFFFFF).</summary>
        [MethodImpl(HotPath.Optimize)]
        public static unsafe uint Update(uint crc, ReadOnlySpan<byte> data)
        {
            fixed (uint* t = Tables)
            fixed (byte* start = data)
            {
                byte* p = start, end = start + data.Length;
                // The CRC takes the bytes in little-endian order; a big-endian machine assembles the words from bytes.
                bool little = BitConverter.IsLittleEndian;
                for (; end - p >= 16; p += 16)
                {
                    uint one = crc ^ (little ? *(uint*)p : (uint)(p[0] | (p[1] << 8) | (p[2] << 16) | (p[3] << 24)));
                    uint two = little ? *(uint*)(p + 4) : (uint)(p[4] | (p[5] << 8) | (p[6] << 16) | (p[7] << 24));
                    uint three = little ? *(uint*)(p + 8) : (uint)(p[8] | (p[9] << 8) | (p[10] << 16) | (p[11] << 24));
                    uint four = little ? *(uint*)(p + 12) : (uint)(p[12] | (p[13] << 8) | (p[14] << 16) | (p[15] << 24));
                    crc = t[3840 + (one & 0xFF)] ^ t[3584 + ((one >> 8) & 0xFF)] ^ t[3328 + ((one >> 16) & 0xFF)] ^ t[3072 + (one >> 24)]
                        ^ t[2816 + (two & 0xFF)] ^ t[2560 + ((two >> 8) & 0xFF)] ^ t[2304 + ((two >> 16) & 0xFF)] ^ t[2048 + (two >> 24)]
                        ^ t[1792 + (three & 0xFF)] ^ t[1536 + ((three >> 8) & 0xFF)] ^ t[1280 + ((three >> 16) & 0xFF)] ^ t[1024 + (three >> 24)]
                        ^ t[768 + (four & 0xFF)] ^ t[512 + ((four >> 8) & 0xFF)] ^ t[256 + ((four >> 16) & 0xFF)] ^ t[four >> 24];
                }
                for (; p < end; p++) crc = t[(crc ^ *p) & 0xFF] ^ (crc >> 8);
            }
            return crc;
        }

        /// <summary>The finished CRC of one buffer.</summary>
        public static uint Compute(ReadOnlySpan<byte> data) => Update(0xFFFFFFFFu, data) ^ 0xFFFFFFFFu;
    }
}
