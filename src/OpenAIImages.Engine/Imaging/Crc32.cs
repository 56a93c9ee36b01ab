using System;

namespace OpenAIImages.Engine.Imaging
{
    /// <summary>The CRC-32 that PNG chunks and zlib-adjacent formats use (polynomial 0xEDB88320).</summary>
    public static class Crc32
    {
        // Slicing by four: four table look-ups per 32-bit word instead of one per byte, since the decoder
        // checks every byte of the input and inputs run to tens of megabytes.
        private static readonly uint[] Tables = BuildTables();

        private static uint[] BuildTables()
        {
            var t = new uint[4 * 256];
            for (uint n = 0; n < 256; n++)
            {
                uint c = n;
                for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
                t[n] = c;
            }
            for (int n = 0; n < 256; n++)
                for (int s = 1; s < 4; s++)
                {
                    uint prev = t[(s - 1) * 256 + n];
                    t[s * 256 + n] = t[prev & 0xFF] ^ (prev >> 8);
                }
            return t;
        }

        /// <summary>Continues a running CRC (start with 0xFFFFFFFF, finish by xor with 0xFFFFFFFF).</summary>
        public static uint Update(uint crc, ReadOnlySpan<byte> data)
        {
            var t = Tables;
            int i = 0;
            for (; i + 4 <= data.Length; i += 4)
            {
                crc ^= (uint)(data[i] | (data[i + 1] << 8) | (data[i + 2] << 16) | (data[i + 3] << 24));
                crc = t[768 + (crc & 0xFF)] ^ t[512 + ((crc >> 8) & 0xFF)] ^ t[256 + ((crc >> 16) & 0xFF)] ^ t[crc >> 24];
            }
            for (; i < data.Length; i++) crc = t[(crc ^ data[i]) & 0xFF] ^ (crc >> 8);
            return crc;
        }

        /// <summary>The finished CRC of one buffer.</summary>
        public static uint Compute(ReadOnlySpan<byte> data) => Update(0xFFFFFFFFu, data) ^ 0xFFFFFFFFu;
    }
}
