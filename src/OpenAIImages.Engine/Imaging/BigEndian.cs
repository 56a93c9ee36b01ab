using System;

namespace OpenAIImages.Engine.Imaging
{
    /// <summary>Network byte order, which PNG uses for every multi-byte number.</summary>
    internal static class BigEndian
    {
        public static uint ReadUInt32(ReadOnlySpan<byte> data, int offset) =>
            ((uint)data[offset] << 24) | ((uint)data[offset + 1] << 16) | ((uint)data[offset + 2] << 8) | data[offset + 3];

        public static ushort ReadUInt16(ReadOnlySpan<byte> data, int offset) => (ushort)((data[offset] << 8) | data[offset + 1]);

        public static void WriteUInt32(Span<byte> data, int offset, uint value)
        {
            data[offset] = (byte)(value >> 24);
            data[offset + 1] = (byte)(value >> 16);
            data[offset + 2] = (byte)(value >> 8);
            data[offset + 3] = (byte)value;
        }
    }
}
