using System.Buffers.Binary;
using System.IO;
using System.IO.Compression;
using OpenAIImages.Engine.Imaging;

namespace OpenAIImages.Tests.Imaging;

/// <summary>Builds and takes apart PNG files for tests, with the framework's own zlib so nothing is checked against itself.</summary>
internal static class PngTestFiles
{
    public static readonly byte[] Signature = { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A };

    public static byte[] Chunk(string type, ReadOnlySpan<byte> data)
    {
        var chunk = new byte[12 + data.Length];
        BinaryPrimitives.WriteInt32BigEndian(chunk, data.Length);
        System.Text.Encoding.ASCII.GetBytes(type, chunk.AsSpan(4));
        data.CopyTo(chunk.AsSpan(8));
        BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(8 + data.Length), Crc32.Compute(chunk.AsSpan(4, 4 + data.Length)));
        return chunk;
    }

    public static byte[] Ihdr(int width, int height, byte depth, byte colorType, byte interlace = 0)
    {
        var data = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(data, width);
        BinaryPrimitives.WriteInt32BigEndian(data.AsSpan(4), height);
        data[8] = depth;
        data[9] = colorType;
        data[12] = interlace;
        return Chunk("IHDR", data);
    }

    public static byte[] Zlib(ReadOnlySpan<byte> raw)
    {
        var output = new MemoryStream();
        using (var z = new ZLibStream(output, CompressionLevel.Optimal, leaveOpen: true)) z.Write(raw);
        return output.ToArray();
    }

    public static byte[] File(params byte[][] chunks) => Signature.Concat(chunks.SelectMany(c => c)).ToArray();

    /// <summary>A whole PNG: IHDR, optional extra chunks before the data, one IDAT, IEND.</summary>
    public static byte[] Simple(int width, int height, byte depth, byte colorType, ReadOnlySpan<byte> filteredRows, params byte[][] before) =>
        File(new[] { Ihdr(width, height, depth, colorType) }.Concat(before).Append(Chunk("IDAT", Zlib(filteredRows))).Append(Chunk("IEND", default)).ToArray());

    /// <summary>(type, data offset, data length) for every chunk, without checking anything.</summary>
    public static List<(string Type, int Offset, int Length)> Chunks(byte[] png)
    {
        var list = new List<(string, int, int)>();
        for (int at = 8; at + 12 <= png.Length;)
        {
            int length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(at));
            if (length < 0 || at + 12L + length > png.Length) break;
            list.Add((System.Text.Encoding.ASCII.GetString(png, at + 4, 4), at + 8, length));
            at += 12 + length;
        }
        return list;
    }

    /// <summary>The decompressed IDAT stream: filter bytes and filtered rows.</summary>
    public static byte[] InflateImageData(byte[] png)
    {
        var joined = Chunks(png).Where(c => c.Type == "IDAT").SelectMany(c => png.Skip(c.Offset).Take(c.Length)).ToArray();
        using var z = new ZLibStream(new MemoryStream(joined), CompressionMode.Decompress);
        var output = new MemoryStream();
        z.CopyTo(output);
        return output.ToArray();
    }
}
