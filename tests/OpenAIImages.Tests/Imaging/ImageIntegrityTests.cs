using System.IO;
using OpenAIImages.Engine.Imaging;
using OpenAIImages.FakeApi.Imaging;
using Xunit;

namespace OpenAIImages.Tests.Imaging;

/// <summary>
/// The structure check input images get before upload: every intact PngSuite file passes, every damaged one and every
/// cut of an intact file is refused, and a file that claims far more pixels than its data holds costs no memory.
/// </summary>
public class ImageIntegrityTests
{
    public static TheoryData<string> IntactSuiteFiles()
    {
        var data = new TheoryData<string>();
        foreach (var path in Directory.GetFiles(TestPaths.PngSuite, "*.png").Where(p => !Path.GetFileName(p).StartsWith('x')).OrderBy(p => p, StringComparer.Ordinal))
            data.Add(Path.GetFileName(path));
        return data;
    }

    public static TheoryData<string> DamagedSuiteFiles()
    {
        var data = new TheoryData<string>();
        foreach (var path in Directory.GetFiles(TestPaths.PngSuite, "x*.png").OrderBy(p => p, StringComparer.Ordinal))
            data.Add(Path.GetFileName(path));
        return data;
    }

    [Theory]
    [MemberData(nameof(IntactSuiteFiles))]
    public void PassesEveryIntactPngSuiteFile(string name) =>
        ImageIntegrity.Check(File.ReadAllBytes(Path.Combine(TestPaths.PngSuite, name)));

    [Theory]
    [MemberData(nameof(DamagedSuiteFiles))]
    public void RefusesEveryDamagedPngSuiteFileThatSaysPng(string name)
    {
        var bytes = File.ReadAllBytes(Path.Combine(TestPaths.PngSuite, name));
        // A damaged signature is no PNG at all to the sniffer: the format check refuses those, as not an image.
        if (ImageInfo.SniffFormat(bytes) != ImageFormat.Png) return;
        Assert.Throws<ImageDecodeException>(() => ImageIntegrity.Check(bytes));
    }

    [Theory]
    [InlineData("basn6a08.png")]
    [InlineData("basi6a08.png")]
    [InlineData("basn3p08.png")]
    public void RefusesAPngCutAnywhere(string name)
    {
        var bytes = File.ReadAllBytes(Path.Combine(TestPaths.PngSuite, name));
        for (int length = 8; length < bytes.Length; length += Math.Max(1, bytes.Length / 97))
        {
            var cut = bytes.AsSpan(0, length).ToArray();
            var ex = Assert.Throws<ImageDecodeException>(() => ImageIntegrity.Check(cut));
            Assert.Equal("ImageCorrupt", ex.ErrorId);
        }
    }

    [Fact]
    public void RefusesAFlippedBitInTheImageData()
    {
        var bytes = File.ReadAllBytes(Path.Combine(TestPaths.PngSuite, "basn2c08.png"));
        var idat = PngTestFiles.Chunks(bytes).First(c => c.Type == "IDAT");
        bytes[idat.Offset + idat.Length / 2] ^= 0x10;
        var ex = Assert.Throws<ImageDecodeException>(() => ImageIntegrity.Check(bytes));
        Assert.Contains("CRC mismatch", ex.Message);
    }

    [Fact]
    public void RefusesImageDataThatInflatesPastTheDeclaredSize()
    {
        // 4x4 gray needs 4 rows of 1 + 4 bytes; these are 8 rows, with correct CRCs.
        var png = PngTestFiles.Simple(4, 4, 8, 0, new byte[8 * 5]);
        var ex = Assert.Throws<ImageDecodeException>(() => ImageIntegrity.Check(png));
        Assert.Contains("more data", ex.Message);
    }

    [Fact]
    public void RefusesImageDataThatStopsShortOfTheDeclaredSize()
    {
        var png = PngTestFiles.Simple(4, 4, 8, 0, new byte[2 * 5]);
        var ex = Assert.Throws<ImageDecodeException>(() => ImageIntegrity.Check(png));
        Assert.Contains("ends early", ex.Message);
    }

    [Fact]
    public void ChecksADeflateBombWithoutAPixelBuffer()
    {
        // 10000x10000 RGBA claims 400 MB of pixels; a megabyte of zeros deflates to about a kilobyte, far too little.
        var bomb = PngTestFiles.Simple(10000, 10000, 8, 6, new byte[1024 * 1024]);
        long before = GC.GetAllocatedBytesForCurrentThread();
        Assert.Throws<ImageDecodeException>(() => ImageIntegrity.Check(bomb));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1024 * 1024, "the check allocated a megabyte or more");
    }

    [Fact]
    public void ReadsALargeHonestImageThroughASmallBuffer()
    {
        // 2048x2048 gray of filter-0 rows: 4 MiB raw, a few kilobytes deflated.
        var png = PngTestFiles.Simple(2048, 2048, 8, 0, new byte[2048 * 2049]);
        long before = GC.GetAllocatedBytesForCurrentThread();
        ImageIntegrity.Check(png);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 512 * 1024, "the check allocated half a megabyte or more");
    }

    private static byte[] Rgba(int width, int height) => Enumerable.Range(0, width * height * 4).Select(i => (byte)(i * 7)).ToArray();

    [Fact]
    public void PassesAJpegAndRefusesItCutShort()
    {
        var jpeg = JpegWriter.Encode(32, 24, Rgba(32, 24));
        ImageIntegrity.Check(jpeg);
        foreach (int length in new[] { 3, 20, jpeg.Length / 2, jpeg.Length - 2, jpeg.Length - 1 })
            Assert.Throws<ImageDecodeException>(() => ImageIntegrity.Check(jpeg.AsSpan(0, length).ToArray()));
    }

    [Fact]
    public void RefusesAJpegWhoseSegmentLengthRunsPastTheEnd()
    {
        var jpeg = JpegWriter.Encode(16, 16, Rgba(16, 16));
        // The first segment after SOI (APP0 or DQT): make its length far too large.
        jpeg[4] = 0x7F;
        Assert.Throws<ImageDecodeException>(() => ImageIntegrity.Check(jpeg));
    }

    [Fact]
    public void PassesAWebPAndRefusesItCutShort()
    {
        var webp = WebPWriter.Encode(32, 24, Rgba(32, 24));
        ImageIntegrity.Check(webp);
        foreach (int length in new[] { 12, 16, 25, webp.Length / 2, webp.Length - 1 })
            Assert.Throws<ImageDecodeException>(() => ImageIntegrity.Check(webp.AsSpan(0, length).ToArray()));
    }

    [Fact]
    public void RefusesAWebPWhoseFirstChunkIsNotAnImage()
    {
        var webp = WebPWriter.Encode(8, 8, Rgba(8, 8));
        webp[12] = (byte)'X';
        var ex = Assert.Throws<ImageDecodeException>(() => ImageIntegrity.Check(webp));
        Assert.Contains("VP8", ex.Message);
    }

    [Fact]
    public void LeavesOtherDataToTheFormatCheck() => ImageIntegrity.Check("just text"u8.ToArray());
}

/// <summary>The cheap end-of-file check every returned image gets.</summary>
public class ReturnedImageEndTests
{
    private static byte[] Rgba(int width, int height) => Enumerable.Range(0, width * height * 4).Select(i => (byte)(i * 5)).ToArray();

    [Fact]
    public void PassesCompleteImagesOfEachFormat()
    {
        ImageIntegrity.CheckEnd(PngEncoder.Encode(new RgbaImage(4, 4, Rgba(4, 4))));
        ImageIntegrity.CheckEnd(JpegWriter.Encode(8, 8, Rgba(8, 8)));
        ImageIntegrity.CheckEnd(WebPWriter.Encode(8, 8, Rgba(8, 8)));
    }

    [Fact]
    public void RefusesEachFormatCutShort()
    {
        foreach (var image in new[] { PngEncoder.Encode(new RgbaImage(4, 4, Rgba(4, 4))), JpegWriter.Encode(8, 8, Rgba(8, 8)), WebPWriter.Encode(8, 8, Rgba(8, 8)) })
            Assert.Throws<ImageDecodeException>(() => ImageIntegrity.CheckEnd(image.AsSpan(0, image.Length - 3).ToArray()));
    }
}
