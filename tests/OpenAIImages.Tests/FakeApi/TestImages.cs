using System.Buffers.Binary;
using System.IO.Compression;
using OpenAIImages.Engine.Imaging;

namespace OpenAIImages.Tests.FakeApi;

/// <summary>Input pictures for edit and variation tests, built in memory.</summary>
internal static class TestImages
{
    public static byte[] Solid(int width, int height, byte r, byte g, byte b, byte a = 255)
    {
        var pixels = new byte[width * height * 4];
        for (int i = 0; i < pixels.Length; i += 4) { pixels[i] = r; pixels[i + 1] = g; pixels[i + 2] = b; pixels[i + 3] = a; }
        return pixels;
    }

    public static byte[] SolidPng(int width, int height, byte r, byte g, byte b, byte a = 255) =>
        PngEncoder.EncodeRgba(width, height, Solid(width, height, r, g, b, a));

    /// <summary>A mask whose left half is fully transparent (the area to edit) and right half opaque.</summary>
    public static byte[] LeftHalfMask(int width, int height)
    {
        var pixels = Solid(width, height, 0, 0, 0, 255);
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width / 2; x++) pixels[(y * width + x) * 4 + 3] = 0;
        return PngEncoder.EncodeRgba(width, height, pixels);
    }

    /// <summary>A PNG of colour type 2 (RGB, no alpha, no tRNS), which the engine's encoder never writes.</summary>
    public static byte[] RgbPng(int width, int height)
    {
        var raw = new MemoryStream();
        using (var z = new ZLibStream(raw, CompressionLevel.Fastest, leaveOpen: true))
        {
            var row = new byte[1 + width * 3];
            for (int y = 0; y < height; y++)
            {
                for (int x = 0; x < width; x++) { row[1 + x * 3] = (byte)x; row[2 + x * 3] = (byte)y; row[3 + x * 3] = 99; }
                z.Write(row);
            }
        }
        var png = new MemoryStream();
        png.Write(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A });
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 8; ihdr[9] = 2;
        Chunk(png, "IHDR", ihdr);
        Chunk(png, "IDAT", raw.ToArray());
        Chunk(png, "IEND", Array.Empty<byte>());
        return png.ToArray();
    }

    private static void Chunk(Stream output, string type, byte[] data)
    {
        var header = new byte[8];
        BinaryPrimitives.WriteInt32BigEndian(header, data.Length);
        for (int i = 0; i < 4; i++) header[4 + i] = (byte)type[i];
        output.Write(header);
        output.Write(data);
        uint crc = 0xFFFFFFFF;
        foreach (byte b in header.AsSpan(4).ToArray().Concat(data))
        {
            crc ^= b;
            for (int k = 0; k < 8; k++) crc = (crc & 1) != 0 ? 0xEDB88320 ^ (crc >> 1) : crc >> 1;
        }
        var tail = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(tail, ~crc);
        output.Write(tail);
    }
}
