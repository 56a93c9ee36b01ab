using OpenAIImages.Engine.Imaging;
using Xunit;

namespace OpenAIImages.Tests;

public class ImageInfoTests
{
    [Fact]
    public void EncodedPngReportsItsOwnSize()
    {
        var png = PngEncoder.EncodeRgba(3, 2, new byte[3 * 2 * 4]);
        var info = ImageInfo.TryRead(png);
        Assert.NotNull(info);
        Assert.Equal(ImageFormat.Png, info!.Format);
        Assert.Equal(3, info.Width);
        Assert.Equal(2, info.Height);
        Assert.True(info.HasAlpha);
    }
}
