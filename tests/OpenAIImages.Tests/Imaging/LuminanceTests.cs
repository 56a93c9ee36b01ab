using OpenAIImages.Engine.Imaging;
using Xunit;

namespace OpenAIImages.Tests.Imaging;

public class LuminanceTests
{
    /// <summary>All 2^24 colors, compared by hash with PIL's convert("L") of the same image (TestData/luminance-all-colors.sha256).</summary>
    [Fact]
    public void MatchesPilForEveryColor()
    {
        var expected = ReferenceHashes.Load("luminance-all-colors.sha256").Single();
        var rgba = new byte[(1 << 24) * 4];
        for (int i = 0; i < 1 << 24; i++)
        {
            rgba[i * 4] = (byte)(i >> 16);
            rgba[i * 4 + 1] = (byte)(i >> 8);
            rgba[i * 4 + 2] = (byte)i;
            rgba[i * 4 + 3] = 255;
        }
        var gray = new byte[1 << 24];
        Luminance.FromRgba(rgba, gray);
        Assert.Equal(expected.Sha256, ReferenceHashes.Sha256(gray));
    }

    [Fact]
    public void GrayInputIsUnchanged()
    {
        for (int g = 0; g < 256; g++) Assert.Equal(g, Luminance.Of((byte)g, (byte)g, (byte)g));
    }
}
