using System.Text;
using OpenAIImages.Engine.Imaging;
using Xunit;

namespace OpenAIImages.Tests.Imaging;

public class Crc32Tests
{
    // One bit at a time, as the PNG specification's sample code computes it.
    private static uint Reference(byte[] data)
    {
        uint crc = 0xFFFFFFFFu;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++) crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
        }
        return crc ^ 0xFFFFFFFFu;
    }

    [Fact]
    public void GivesTheCheckValueOfTheStandard()
    {
        Assert.Equal(0xCBF43926u, Crc32.Compute(Encoding.ASCII.GetBytes("123456789")));
        // The CRC of an IEND chunk's type, which ends every PNG file.
        Assert.Equal(0xAE426082u, Crc32.Compute(Encoding.ASCII.GetBytes("IEND")));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(15)]
    [InlineData(16)]
    [InlineData(17)]
    [InlineData(33)]
    [InlineData(100_003)]
    public void MatchesTheBitwiseDefinition(int length)
    {
        var data = new byte[length];
        new Random(length).NextBytes(data);
        Assert.Equal(Reference(data), Crc32.Compute(data));
    }

    [Fact]
    public void GivesTheSameInPiecesAsAtOnce()
    {
        var data = new byte[50_000];
        new Random(3).NextBytes(data);
        uint crc = 0xFFFFFFFFu;
        for (int at = 0; at < data.Length; at += 777) crc = Crc32.Update(crc, data.AsSpan(at, Math.Min(777, data.Length - at)));
        Assert.Equal(Reference(data), crc ^ 0xFFFFFFFFu);
    }
}
