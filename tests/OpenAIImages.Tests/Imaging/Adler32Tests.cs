using OpenAIImages.Engine.Imaging;
using Xunit;

namespace OpenAIImages.Tests.Imaging;

/// <summary>The vectorized Adler-32 gives zlib's checksum for every length, content and starting value.</summary>
public class Adler32Tests
{
    private static uint Reference(uint adler, byte[] data)
    {
        uint a = adler & 0xFFFF, b = adler >> 16;
        foreach (byte x in data)
        {
            a = (a + x) % 65521;
            b = (b + a) % 65521;
        }
        return (b << 16) | a;
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(15)]
    [InlineData(31)]
    [InlineData(64)]
    [InlineData(5551)]
    [InlineData(5552)]
    [InlineData(5553)]
    [InlineData(100_000)]
    [InlineData(1_000_003)]
    public void MatchesTheDefinitionOnRandomData(int length)
    {
        var data = new byte[length];
        new Random(length).NextBytes(data);
        Assert.Equal(Reference(1, data), Adler32.Update(1, data));
        Assert.Equal(Reference(0xFFF0FFF0 % 65521 | (60000u << 16), data), Adler32.Update(0xFFF0FFF0 % 65521 | (60000u << 16), data));
    }

    [Fact]
    public void DoesNotOverflowOnTheLargestBytes()
    {
        var data = Enumerable.Repeat((byte)255, 3_000_000).ToArray();
        Assert.Equal(Reference(65520 | (65520u << 16), data), Adler32.Update(65520 | (65520u << 16), data));
    }

    [Fact]
    public void GivesTheSameInPiecesAsAtOnce()
    {
        var data = new byte[200_000];
        new Random(5).NextBytes(data);
        uint pieces = Adler32.Initial;
        for (int at = 0; at < data.Length; at += 7777) pieces = Adler32.Update(pieces, data.AsSpan(at, Math.Min(7777, data.Length - at)));
        Assert.Equal(Reference(1, data), pieces);
    }
}
