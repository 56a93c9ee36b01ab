using System.Buffers.Binary;
using System.IO.Compression;

namespace OpenAIImages.Tests.FakeApi;

/// <summary>
/// Reads back the PNGs the engine's encoder writes (8-bit RGBA, filter 0 on every row) so tests can look at
/// pixels. It is deliberately narrow and refuses anything else.
/// </summary>
internal static class OwnPng
{
    public sealed record Image(int Width, int Height, byte[] Rgba)
    {
        public (byte R, byte G, byte B, byte A) At(int x, int y)
        {
            int i = (y * Width + x) * 4;
            return (Rgba[i], Rgba[i + 1], Rgba[i + 2], Rgba[i + 3]);
        }
    }

    public static Image ReadPixels(byte[] png)
    {
        int offset = 8, width = 0, height = 0;
        var idat = new MemoryStream();
        while (offset < png.Length)
        {
            int length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(offset));
            string type = System.Text.Encoding.ASCII.GetString(png, offset + 4, 4);
            var data = png.AsSpan(offset + 8, length);
            if (type == "IHDR")
            {
                width = BinaryPrimitives.ReadInt32BigEndian(data);
                height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                if (data[8] != 8 || data[9] != 6) throw new NotSupportedException("Only 8-bit RGBA PNGs.");
            }
            if (type == "IDAT") idat.Write(data);
            offset += 12 + length;
        }
        idat.Position = 0;
        var raw = new MemoryStream();
        using (var z = new ZLibStream(idat, CompressionMode.Decompress)) z.CopyTo(raw);
        var rows = raw.ToArray();
        int stride = width * 4;
        var pixels = new byte[stride * height];
        for (int y = 0; y < height; y++)
        {
            if (rows[y * (stride + 1)] != 0) throw new NotSupportedException("Only filter type 0.");
            Buffer.BlockCopy(rows, y * (stride + 1) + 1, pixels, y * stride, stride);
        }
        return new Image(width, height, pixels);
    }
}
