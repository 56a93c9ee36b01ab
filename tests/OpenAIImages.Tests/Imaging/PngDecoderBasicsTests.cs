using OpenAIImages.Engine.Imaging;
using Xunit;

namespace OpenAIImages.Tests.Imaging;

public class PngDecoderBasicsTests
{
    [Fact]
    public void DecodesWhatTheEncoderWrote()
    {
        var rng = new Random(7);
        var pixels = new byte[5 * 3 * 4];
        rng.NextBytes(pixels);
        var image = PngDecoder.Decode(PngEncoder.EncodeRgba(5, 3, pixels));
        Assert.Equal(5, image.Width);
        Assert.Equal(3, image.Height);
        Assert.Equal(pixels, image.Pixels);
    }

    [Fact]
    public void RejectsAJpegWithAClearMessage()
    {
        var ex = Assert.Throws<ImageDecodeException>(() => PngDecoder.Decode(new byte[] { 0xFF, 0xD8, 0xFF, 0xE0, 0, 16 }));
        Assert.Equal(ImageDecodeFailure.UnsupportedFormat, ex.Failure);
        Assert.Contains("JPEG", ex.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void ReportsACrcMismatchByChunkName()
    {
        var png = PngEncoder.EncodeRgba(2, 2, new byte[16]);
        png[^1] ^= 1; // last byte of the IEND CRC
        var ex = Assert.Throws<ImageDecodeException>(() => PngDecoder.Decode(png));
        Assert.Contains("CRC mismatch in chunk IEND", ex.Message);
    }
}
