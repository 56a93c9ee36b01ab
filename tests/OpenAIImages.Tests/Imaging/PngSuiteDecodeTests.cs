using System.IO;
using OpenAIImages.Engine.Imaging;
using Xunit;

namespace OpenAIImages.Tests.Imaging;

/// <summary>Every valid PngSuite file decodes to the pixels independent decoders produced (see TestData/make-pngsuite-reference.py).</summary>
public class PngSuiteDecodeTests
{
    public static TheoryData<string> ValidFiles()
    {
        var data = new TheoryData<string>();
        foreach (var r in ReferenceHashes.Load("pngsuite-rgba8.sha256")) data.Add(r.Name);
        return data;
    }

    private static readonly Dictionary<string, ReferenceHash> Rgba8 = ReferenceHashes.Load("pngsuite-rgba8.sha256").ToDictionary(r => r.Name);
    private static readonly Dictionary<string, ReferenceHash> Rgba16 = ReferenceHashes.Load("pngsuite-rgba16.sha256").ToDictionary(r => r.Name);

    [Theory]
    [MemberData(nameof(ValidFiles))]
    public void DecodesToTheReferenceRgba8Pixels(string name)
    {
        var expected = Rgba8[name];
        var image = PngDecoder.Decode(File.ReadAllBytes(Path.Combine(TestPaths.PngSuite, name)));
        Assert.Equal((expected.Width, expected.Height), (image.Width, image.Height));
        Assert.Equal(expected.Sha256, ReferenceHashes.Sha256(image.Pixels));
    }

    [Theory]
    [MemberData(nameof(ValidFiles))]
    public void DecodesToTheReferenceRgba16Pixels(string name)
    {
        var expected = Rgba16[name];
        var image = PngDecoder.DecodeRgba16(File.ReadAllBytes(Path.Combine(TestPaths.PngSuite, name)));
        Assert.Equal((expected.Width, expected.Height), (image.Width, image.Height));
        Assert.Equal(expected.Sha256, ReferenceHashes.Sha256(image.Pixels));
    }

    [Theory]
    [MemberData(nameof(ValidFiles))]
    public void HeaderOnlyInfoAgreesWithTheDecodedImage(string name)
    {
        var bytes = File.ReadAllBytes(Path.Combine(TestPaths.PngSuite, name));
        var info = ImageInfo.TryRead(bytes)!;
        var image = PngDecoder.Decode(bytes);
        Assert.Equal((ImageFormat.Png, image.Width, image.Height), (info.Format, info.Width, info.Height));
        bool anyTransparency = image.Pixels.Where((_, i) => i % 4 == 3).Any(a => a != 255);
        if (anyTransparency) Assert.True(info.HasAlpha);
        if (name[4] == '4' || name[4] == '6' || name.StartsWith("tb", StringComparison.Ordinal)) Assert.True(info.HasAlpha);
        if (name.StartsWith("basn", StringComparison.Ordinal) && name[4] is '0' or '2' or '3') Assert.False(info.HasAlpha);
    }

    [Fact]
    public void EveryValidSuiteFileHasAReference()
    {
        var onDisk = Directory.GetFiles(TestPaths.PngSuite, "*.png").Select(p => Path.GetFileName(p)!)
            .Where(n => !n.StartsWith('x')).OrderBy(n => n, StringComparer.Ordinal).ToList();
        Assert.Equal(onDisk, Rgba8.Keys.OrderBy(n => n, StringComparer.Ordinal).ToList());
        Assert.True(onDisk.Count >= 150, $"Only {onDisk.Count} valid files in the suite");
    }

    [Fact]
    public void SixteenBitDecodeAgreesWithEightBitDecodeOnTheHighByte()
    {
        foreach (string name in Rgba8.Keys.Where(n => n.Contains("16")))
        {
            var bytes = File.ReadAllBytes(Path.Combine(TestPaths.PngSuite, name));
            var wide = PngDecoder.DecodeRgba16(bytes).Pixels;
            var narrow = PngDecoder.Decode(bytes).Pixels;
            Assert.Equal(narrow, wide.Select(v => (byte)(v >> 8)).ToArray());
        }
    }
}
