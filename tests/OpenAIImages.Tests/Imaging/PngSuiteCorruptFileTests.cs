using System.IO;
using OpenAIImages.Engine.Imaging;
using Xunit;

namespace OpenAIImages.Tests.Imaging;

/// <summary>PngSuite's deliberately broken files (x*.png) are refused with a message naming the defect.</summary>
public class PngSuiteCorruptFileTests
{
    public static TheoryData<string, string> CorruptFiles => new()
    {
        { "xc1n0g08.png", "color type 1 is invalid" },
        { "xc9n2c08.png", "color type 9 is invalid" },
        { "xcrn0g04.png", "signature is damaged" },
        { "xcsn0g01.png", "CRC mismatch in chunk IDAT" },
        { "xd0n2c08.png", "bit depth 0 is invalid" },
        { "xd3n2c08.png", "bit depth 3 is invalid" },
        { "xd9n2c08.png", "bit depth 99 is invalid" },
        { "xdtn0g01.png", "no IDAT chunk" },
        { "xhdn0g08.png", "CRC mismatch in chunk IHDR" },
        { "xlfn0g04.png", "signature is damaged" },
        { "xs1n0g01.png", "signature is damaged" },
        { "xs2n0g01.png", "signature is damaged" },
        { "xs4n0g01.png", "signature is damaged" },
        { "xs7n0g01.png", "signature is damaged" },
    };

    [Theory]
    [MemberData(nameof(CorruptFiles))]
    public void RefusesWithAClearMessage(string name, string expectedMessage)
    {
        var bytes = File.ReadAllBytes(Path.Combine(TestPaths.PngSuite, name));
        var ex = Assert.Throws<ImageDecodeException>(() => PngDecoder.Decode(bytes));
        Assert.Contains(expectedMessage, ex.Message);
        Assert.Throws<ImageDecodeException>(() => PngDecoder.DecodeRgba16(bytes));
    }

    [Fact]
    public void EveryCorruptSuiteFileIsCovered()
    {
        var onDisk = Directory.GetFiles(TestPaths.PngSuite, "x*.png").Select(p => Path.GetFileName(p)!).OrderBy(n => n, StringComparer.Ordinal);
        var covered = CorruptFiles.Select(row => (string)row[0]).OrderBy(n => n, StringComparer.Ordinal);
        Assert.Equal(covered, onDisk);
    }
}
