using OpenAIImages.Engine.Imaging;
using Xunit;

namespace OpenAIImages.Tests.Imaging;

/// <summary>
/// Unfiltering against the PNG specification's byte-at-a-time formulas, for every filter, the pixel sizes PNG has
/// (1 to 8 bytes) and row lengths that leave the word-at-a-time loops with every kind of tail.
/// </summary>
public class PngFilterTests
{
    private static byte[] Reference(byte type, byte[] filtered, byte[] prior, int stride)
    {
        var row = (byte[])filtered.Clone();
        for (int i = 0; i < row.Length; i++)
        {
            int left = i >= stride ? row[i - stride] : 0;
            int above = prior[i];
            int upperLeft = i >= stride ? prior[i - stride] : 0;
            int add = type switch
            {
                0 => 0,
                1 => left,
                2 => above,
                3 => (left + above) / 2,
                _ => Paeth(left, above, upperLeft),
            };
            row[i] = (byte)(row[i] + add);
        }
        return row;
    }

    // The specification's own wording of the predictor.
    private static int Paeth(int a, int b, int c)
    {
        int p = a + b - c;
        int pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        if (pa <= pb && pa <= pc) return a;
        if (pb <= pc) return b;
        return c;
    }

    public static TheoryData<byte, int> FiltersAndStrides()
    {
        var data = new TheoryData<byte, int>();
        for (byte type = 0; type <= 4; type++)
            foreach (int stride in new[] { 1, 2, 3, 4, 6, 8 })
                data.Add(type, stride);
        return data;
    }

    [Theory]
    [MemberData(nameof(FiltersAndStrides))]
    public void MatchesTheSpecificationOnRandomRows(byte type, int stride)
    {
        var random = new Random(type * 100 + stride);
        for (int pixels = 1; pixels <= 13; pixels++)
        {
            var filtered = new byte[pixels * stride];
            var prior = new byte[pixels * stride];
            random.NextBytes(filtered);
            random.NextBytes(prior);
            var row = (byte[])filtered.Clone();
            PngFilter.Unfilter(type, row, prior, stride);
            Assert.Equal(Reference(type, filtered, prior, stride), row);
        }
    }

    [Theory]
    [MemberData(nameof(FiltersAndStrides))]
    public void MatchesTheSpecificationOnFlatRowsWithEdges(byte type, int stride)
    {
        // Runs of zero differences (a mask's flat areas take a shortcut in Sub) broken by single steps.
        var random = new Random(7 + type * 10 + stride);
        var filtered = new byte[257 * stride];
        var prior = new byte[filtered.Length];
        for (int i = 0; i < filtered.Length; i++)
        {
            filtered[i] = random.Next(40) == 0 ? (byte)random.Next(256) : (byte)0;
            prior[i] = random.Next(2) == 0 ? (byte)0 : (byte)255;
        }
        var row = (byte[])filtered.Clone();
        PngFilter.Unfilter(type, row, prior, stride);
        Assert.Equal(Reference(type, filtered, prior, stride), row);
    }

    [Fact]
    public void LeavesTheBytesAfterTheRowAlone()
    {
        // The decoder unfilters a slice of a larger buffer: a 3-byte pixel's 32-bit word must never reach past it.
        foreach (byte type in new byte[] { 1, 3, 4 })
        {
            var buffer = new byte[40];
            new Random(type).NextBytes(buffer);
            var before = (byte[])buffer.Clone();
            var prior = new byte[40];
            PngFilter.Unfilter(type, buffer.AsSpan(4, 30), prior, 3);
            Assert.Equal(before.AsSpan(0, 4).ToArray(), buffer.AsSpan(0, 4).ToArray());
            Assert.Equal(before.AsSpan(34).ToArray(), buffer.AsSpan(34).ToArray());
        }
    }
}
