using System.IO;
using System.Security.Cryptography;

namespace OpenAIImages.Tests.Imaging;

/// <summary>One line of a committed reference file: "name WxH sha256".</summary>
public sealed record ReferenceHash(string Name, int Width, int Height, string Sha256);

/// <summary>Reads the reference hashes that TestData/make-pngsuite-reference.py wrote.</summary>
internal static class ReferenceHashes
{
    public static IReadOnlyList<ReferenceHash> Load(string fileName)
    {
        var result = new List<ReferenceHash>();
        foreach (string line in File.ReadAllLines(Path.Combine(TestPaths.TestData, fileName)))
        {
            if (line.Length == 0 || line.StartsWith('#')) continue;
            // Names may contain spaces (mask variants), so split from the right.
            int hashAt = line.LastIndexOf(' ');
            int sizeAt = line.LastIndexOf(' ', hashAt - 1);
            string[] size = line[(sizeAt + 1)..hashAt].Split('x');
            result.Add(new ReferenceHash(line[..sizeAt], int.Parse(size[0]), int.Parse(size[1]), line[(hashAt + 1)..]));
        }
        return result;
    }

    public static string Sha256(ReadOnlySpan<byte> data) => Convert.ToHexString(SHA256.HashData(data)).ToLowerInvariant();

    /// <summary>16-bit pixels hashed as little-endian bytes, the layout the reference script hashed.</summary>
    public static string Sha256(ushort[] values)
    {
        var bytes = new byte[values.Length * 2];
        for (int i = 0; i < values.Length; i++)
        {
            bytes[i * 2] = (byte)values[i];
            bytes[i * 2 + 1] = (byte)(values[i] >> 8);
        }
        return Sha256(bytes);
    }
}
