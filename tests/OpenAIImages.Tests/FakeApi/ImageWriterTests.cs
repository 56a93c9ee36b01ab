using OpenAIImages.Engine.Imaging;
using OpenAIImages.FakeApi.Imaging;
using Xunit;

namespace OpenAIImages.Tests.FakeApi;

public sealed class ImageWriterTests
{
    // Written by these encoders from FixturePixels() and checked once with Pillow 9.4 (libwebp, libjpeg):
    // the WebP decodes to exactly the same RGBA as the PNG of the same pixels, and every JPEG pixel is within
    // 1 level of its 8x8 block's mean colour (tools/verify-with-pillow.py does this check again).
    private const string WebPFixture = "UklGRk4CAABXRUJQVlA4TEECAAAvJIAFEJAAAEAQEAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAVVX/////EAgAAED8/////////////////////////////////////////0MgAAAA8f////////////////////////////////////////8PgQAAAMT//////////////////////////////////////////wQEAJD9D4An+x6AR/Y+gJbseQAP2f0AabLrAVpk5wMsyY6PFFkGELzowgkAHg9A9j8enux7PB7Z+3hasufxPGT346XJrsdrkZ2PtyQ7LlIeANn/PHiy73l4ZO/zaMme5/GQ3c+TJruep0V2Ps+S7DhlpMjyP5mrFoDsfy082fdaPLL3tbRkz2t5yO7XSpNdr9UiO19rSXYcGSmy/M/L1ANA9r8Hnux7Dx7Z+x5asuc9PGT3e6TJrvdokZ3vsSQ7PlJkGWCkyPK/kAzTAGT/p+HJvk/jkb2fpiV7Ps1Ddn9amuz6tBbZ+WlLsuMjRZb/BaZsAZD934In+76FR/Z+i5bs+RYP2f0tabLrW1pk57csyY4LNVJk+Z90CUD2/xKe7PslHtn7S1qy55c8ZPcvpcmuX2qRnb+0JDsu2EiR5X/CSJFlAHykyPK/mAwjRZb/RSm6cPKvbUaKLAOIUnThBEBqI0WWAUQYKbIMwDRSZBlAsJEiywAcI0WWAUaKLAMIMlJkGQDlGSmyDDBSZBmAa6TIMgCRD6eMFFkGYBRGQCkBAA==";
    private const string JpegFixture = "/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAj/wAARCAAXACUDAREAAhEAAxEA/8QAHwAAAQUBAQEBAQEAAAAAAAAAAAECAwQFBgcICQoL/8QAtRAAAgEDAwIEAwUFBAQAAAF9AQIDAAQRBRIhMUEGE1FhByJxFDKBkaEII0KxwRVS0fAkM2JyggkKFhcYGRolJicoKSo0NTY3ODk6Q0RFRkdISUpTVFVWV1hZWmNkZWZnaGlqc3R1dnd4eXqDhIWGh4iJipKTlJWWl5iZmqKjpKWmp6ipqrKztLW2t7i5usLDxMXGx8jJytLT1NXW19jZ2uHi4+Tl5ufo6erx8vP09fb3+Pn6/8QAHwEAAwEBAQEBAQEBAQAAAAAAAAECAwQFBgcICQoL/8QAtREAAgECBAQDBAcFBAQAAQJ3AAECAxEEBSExBhJBUQdhcRMiMoEIFEKRobHBCSMzUvAVYnLRChYkNOEl8RcYGRomJygpKjU2Nzg5OkNERUZHSElKU1RVVldYWVpjZGVmZ2hpanN0dXZ3eHl6goOEhYaHiImKkpOUlZaXmJmaoqOkpaanqKmqsrO0tba3uLm6wsPExcbHyMnK0tPU1dbX2Nna4uPk5ebn6Onq8vP09fb3+Pn6/9oADAMBAAIRAxEAPwDFrhKNevvz5QKACgCStz9iI6wPx0KACgAoAkrc/YiOsD8dCgAoAKAJK3P2I//Z";

    /// <summary>A 37x23 render with a transparent background and a gradient in the first block.</summary>
    private static byte[] FixturePixels()
    {
        var pixels = ImageRenderer.Render("fixture", 0, 37, 23, transparentBackground: true);
        for (int y = 0; y < 8; y++)
            for (int x = 0; x < 8; x++)
            {
                int i = (y * 37 + x) * 4;
                pixels[i] = (byte)(x * 30); pixels[i + 1] = (byte)(y * 30); pixels[i + 2] = 77; pixels[i + 3] = (byte)(255 - x * 8);
            }
        return pixels;
    }

    [Fact]
    public void WebPWriterStillProducesThePillowVerifiedFile() =>
        Assert.Equal(Convert.FromBase64String(WebPFixture), WebPWriter.Encode(37, 23, FixturePixels()));

    [Fact]
    public void JpegWriterStillProducesThePillowVerifiedFile() =>
        Assert.Equal(Convert.FromBase64String(JpegFixture), JpegWriter.Encode(37, 23, FixturePixels()));

    [Theory]
    [InlineData(1, 1)]
    [InlineData(7, 9)]
    [InlineData(8, 8)]
    [InlineData(33, 17)]
    [InlineData(1536, 864)]
    public void HeadersReportTheEncodedSize(int width, int height)
    {
        var opaque = ImageRenderer.Render("size", 0, width, height, transparentBackground: false);
        var jpeg = ImageInfo.TryRead(JpegWriter.Encode(width, height, opaque))!;
        Assert.Equal((ImageFormat.Jpeg, width, height, false), (jpeg.Format, jpeg.Width, jpeg.Height, jpeg.HasAlpha));
        var webp = ImageInfo.TryRead(WebPWriter.Encode(width, height, opaque))!;
        Assert.Equal((ImageFormat.WebP, width, height, false), (webp.Format, webp.Width, webp.Height, webp.HasAlpha));
    }

    [Fact]
    public void WebPFlagsAlphaOnlyWhenAPixelIsNotOpaque()
    {
        var pixels = TestImages.Solid(4, 4, 9, 9, 9);
        Assert.False(ImageInfo.TryRead(WebPWriter.Encode(4, 4, pixels))!.HasAlpha);
        pixels[3] = 254;
        Assert.True(ImageInfo.TryRead(WebPWriter.Encode(4, 4, pixels))!.HasAlpha);
    }

    [Fact]
    public void WebPFileIsAValidRiffContainer()
    {
        var file = WebPWriter.Encode(5, 3, TestImages.Solid(5, 3, 1, 2, 3));
        Assert.Equal("RIFF"u8.ToArray(), file[..4]);
        Assert.Equal(file.Length - 8, BitConverter.ToInt32(file, 4));
        Assert.Equal("WEBPVP8L"u8.ToArray(), file[8..16]);
        int chunk = BitConverter.ToInt32(file, 16);
        Assert.Equal(file.Length, 20 + chunk + (chunk & 1));
        Assert.Equal(0x2F, file[20]);
    }

    [Fact]
    public void JpegHasTheMarkersOfABaselineFile()
    {
        var file = JpegWriter.Encode(16, 16, TestImages.Solid(16, 16, 255, 255, 255));
        Assert.Equal(new byte[] { 0xFF, 0xD8 }, file[..2]);
        Assert.Equal(new byte[] { 0xFF, 0xD9 }, file[^2..]);
        Assert.Contains((byte)0xC0, Markers(file)); // baseline frame
        Assert.Equal(4, Markers(file).Count(m => m == 0xC4)); // two DC and two AC tables
    }

    private static List<byte> Markers(byte[] file)
    {
        var markers = new List<byte>();
        int i = 2;
        while (i + 4 <= file.Length && file[i] == 0xFF)
        {
            byte marker = file[i + 1];
            markers.Add(marker);
            if (marker == 0xDA) break;
            i += 2 + (file[i + 2] << 8 | file[i + 3]);
        }
        return markers;
    }

    [Fact]
    public void RendersAreDeterministicAndPromptDependent()
    {
        Assert.Equal(ImageRenderer.Render("a", 0, 64, 64, false), ImageRenderer.Render("a", 0, 64, 64, false));
        Assert.NotEqual(ImageRenderer.Render("a", 0, 64, 64, false), ImageRenderer.Render("b", 0, 64, 64, false));
        Assert.NotEqual(ImageRenderer.Render("a", 0, 64, 64, false), ImageRenderer.Render("a", 1, 64, 64, false));
    }
}
