using OpenAIImages.Engine.Imaging;
using Xunit;

namespace OpenAIImages.Tests.Imaging;

public class AlphaMaskTests
{
    private static RgbaImage Pixels(params (byte R, byte G, byte B, byte A)[] pixels)
    {
        var bytes = pixels.SelectMany(p => new[] { p.R, p.G, p.B, p.A }).ToArray();
        return new RgbaImage(pixels.Length, 1, bytes);
    }

    [Fact]
    public void WhiteStaysOpaqueAndBlackBecomesTransparent()
    {
        var result = AlphaMask.ToImage(Pixels((255, 255, 255, 255), (0, 0, 0, 255)));
        Assert.Equal(new byte[] { 255, 255, 255, 255, 0, 0, 0, 0 }, result.Pixels);
    }

    [Fact]
    public void InputAlphaIsIgnoredAsInThePilRecipe()
    {
        var result = AlphaMask.ToImage(Pixels((255, 255, 255, 0), (0, 0, 0, 128)));
        Assert.Equal(new byte[] { 255, 255, 255, 255, 0, 0, 0, 0 }, result.Pixels);
    }

    [Fact]
    public void ColorsUsePilLuminanceRounding()
    {
        // (R*19595 + G*38470 + B*7471 + 0x8000) >> 16: red 76, green 150, blue 29; (R*299+G*587+B*114)/1000 would give 76, 149, 29.
        var result = AlphaMask.ToImage(Pixels((255, 0, 0, 255), (0, 255, 0, 255), (0, 0, 255, 255)));
        Assert.Equal(new byte[] { 76, 76, 76, 76, 150, 150, 150, 150, 29, 29, 29, 29 }, result.Pixels);
    }

    [Fact]
    public void InvertKeepsBlackAndEditsWhite()
    {
        var result = AlphaMask.ToImage(Pixels((255, 255, 255, 255), (0, 0, 0, 255), (100, 100, 100, 255)), new AlphaMaskOptions { Invert = true });
        Assert.Equal(new byte[] { 0, 0, 0, 0, 255, 255, 255, 255, 155, 155, 155, 155 }, result.Pixels);
    }

    [Theory]
    [InlineData(128, new byte[] { 0, 0, 255, 255 })]
    [InlineData(0, new byte[] { 255, 255, 255, 255 })]
    [InlineData(255, new byte[] { 0, 0, 0, 255 })]
    [InlineData(127, new byte[] { 0, 255, 255, 255 })]
    public void ThresholdKeepsLevelsAtOrAboveIt(int threshold, byte[] expectedAlphas)
    {
        var mask = Pixels((0, 0, 0, 255), (127, 127, 127, 255), (128, 128, 128, 255), (255, 255, 255, 255));
        var result = AlphaMask.ToImage(mask, new AlphaMaskOptions { Threshold = threshold });
        Assert.Equal(expectedAlphas, Enumerable.Range(0, 4).Select(i => result.Pixels[i * 4 + 3]).ToArray());
        Assert.All(Enumerable.Range(0, 4), i => Assert.Equal(result.Pixels[i * 4], result.Pixels[i * 4 + 3]));
    }

    [Fact]
    public void ThresholdThenInvert()
    {
        var mask = Pixels((10, 10, 10, 255), (200, 200, 200, 255));
        var result = AlphaMask.ToImage(mask, new AlphaMaskOptions { Threshold = 100, Invert = true });
        Assert.Equal(new byte[] { 255, 255, 255, 255, 0, 0, 0, 0 }, result.Pixels);
    }

    [Fact]
    public void NearestResizeKeepsAPureMaskPure()
    {
        var rng = new Random(3);
        var pixels = new byte[37 * 23 * 4];
        for (int i = 0; i < 37 * 23; i++)
        {
            byte v = rng.Next(2) == 0 ? (byte)0 : (byte)255;
            pixels[i * 4] = pixels[i * 4 + 1] = pixels[i * 4 + 2] = v;
            pixels[i * 4 + 3] = 255;
        }
        var result = AlphaMask.ToImage(new RgbaImage(37, 23, pixels), new AlphaMaskOptions { Width = 100, Height = 61, Resampling = MaskResampling.Nearest });
        Assert.Equal((100, 61), (result.Width, result.Height));
        Assert.All(result.Pixels, b => Assert.True(b == 0 || b == 255));
    }

    [Fact]
    public void RefusesJpegWithAdviceToSaveAsPng()
    {
        var jpeg = new byte[] { 0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, (byte)'J', (byte)'F', (byte)'I', (byte)'F', 0 };
        var ex = Assert.Throws<ImageDecodeException>(() => AlphaMask.ToPng(jpeg));
        Assert.Equal(ImageDecodeFailure.UnsupportedFormat, ex.Failure);
        Assert.Contains("JPEG image", ex.Message);
        Assert.Contains("Save the mask as a PNG file", ex.Message);
    }

    [Fact]
    public void RefusesWebP()
    {
        var webp = "RIFF\0\0\0\0WEBPVP8 "u8.ToArray();
        var ex = Assert.Throws<ImageDecodeException>(() => AlphaMask.ToPng(webp));
        Assert.Contains("WebP image", ex.Message);
    }

    [Fact]
    public void RejectsBadOptions()
    {
        var mask = Pixels((0, 0, 0, 255));
        Assert.Throws<ArgumentOutOfRangeException>(() => AlphaMask.ToImage(mask, new AlphaMaskOptions { Threshold = 256 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => AlphaMask.ToImage(mask, new AlphaMaskOptions { Threshold = -1 }));
        Assert.Throws<ArgumentException>(() => AlphaMask.ToImage(mask, new AlphaMaskOptions { Width = 10 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => AlphaMask.ToImage(mask, new AlphaMaskOptions { Width = 0, Height = 4 }));
    }

    [Fact]
    public void OutputPngHasAnAlphaChannel()
    {
        var png = AlphaMask.ToPng(Pixels((255, 255, 255, 255), (0, 0, 0, 255)));
        var info = ImageInfo.TryRead(png);
        Assert.NotNull(info);
        Assert.True(info!.HasAlpha);
    }

    public static TheoryData<int?, bool, int?> ConversionOptions() => new()
    {
        { null, false, null },
        { 128, false, null },
        { null, true, null },
        { 100, true, null },
        { null, false, 3 },
    };

    [Theory]
    [MemberData(nameof(ConversionOptions))]
    public void ConvertingAFileGivesWhatConvertingItsPixelsGives(int? threshold, bool invert, int? resizeTo)
    {
        // ToPng from a file converts the decoded pixels in place when the size is kept; ToImage never touches its input.
        var colours = Enumerable.Range(0, 25).Select(i => ((byte)(i * 37), (byte)(i * 91), (byte)(255 - i * 10), (byte)(i * 7))).ToArray();
        var mask = new RgbaImage(5, 5, colours.SelectMany(c => new[] { c.Item1, c.Item2, c.Item3, c.Item4 }).ToArray());
        var options = new AlphaMaskOptions { Threshold = threshold, Invert = invert, Width = resizeTo, Height = resizeTo };
        byte[] file = PngEncoder.Encode(mask);
        byte[] before = (byte[])mask.Pixels.Clone();

        var fromPixels = AlphaMask.ToImage(mask, options);
        var fromFile = PngDecoder.Decode(AlphaMask.ToPng(file, options));

        Assert.Equal(before, mask.Pixels);
        Assert.Equal(fromPixels.Width, fromFile.Width);
        Assert.Equal(fromPixels.Pixels, fromFile.Pixels);
    }

    [Fact]
    public void RefusesAMaskAboveThePixelLimitFromItsHeaderWithoutAPixelBuffer()
    {
        // A megabyte of zeros claiming 10000x10000 RGBA: decoded, it would be 400 MB.
        var hostile = PngTestFiles.Simple(10000, 10000, 8, 6, new byte[1024 * 1024]);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var ex = Assert.Throws<ImageDecodeException>(() => AlphaMask.ToPng(hostile));
        Assert.Equal("ImageTooLarge", ex.ErrorId);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 4 * 1024 * 1024, "refusing it allocated 4 MB or more");
    }

    [Fact]
    public void RefusesAResizeAboveThePixelLimitBeforeDecoding()
    {
        var small = PngEncoder.Encode(new RgbaImage(2, 2, new byte[16]));
        var ex = Assert.Throws<ImageDecodeException>(() => AlphaMask.ToPng(small, new AlphaMaskOptions { Width = 8192, Height = 8192 }));
        Assert.Equal("ImageTooLarge", ex.ErrorId);
    }

    [Fact]
    public void TakesAMaskAtThePixelLimit()
    {
        var wide = PngTestFiles.Simple(16384, 1024, 8, 0, new byte[1024 * 16385]);
        var png = AlphaMask.ToPng(wide);
        Assert.Equal(16384, PngDecoder.Decode(png).Width);
    }
}
