using System.IO;
using OpenAIImages.Engine.Imaging;
using Xunit;

namespace OpenAIImages.Tests.Imaging;

/// <summary>
/// The committed encoder fixtures were written by this encoder and read once by PIL (TestData/encoder-fixture.pil.txt
/// records what PIL saw), so they prove the output is readable by an independent decoder; re-encoding the same
/// pixels must still give the same file.
/// </summary>
public class PngEncoderFixtureTests
{
    public static TheoryData<string> Fixtures()
    {
        var data = new TheoryData<string>();
        foreach (var (file, _, _) in EncoderFixture.All()) data.Add(file);
        return data;
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void PilReadTheFixtureAsTheIntendedPixels(string file)
    {
        var (_, channels, pixels) = EncoderFixture.All().Single(f => f.File == file);
        var pil = PilReport(file);
        Assert.Equal(channels switch { 1 => "L", 2 => "LA", _ => "RGBA" }, pil["mode"]);
        Assert.Equal($"{EncoderFixture.Width}x{EncoderFixture.Height}", pil["size"]);
        Assert.Equal(pil["rgba8-sha256"], ReferenceHashes.Sha256(ToRgba(pixels, channels)));
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void ReEncodingReproducesTheFixture(string file)
    {
        var (_, channels, pixels) = EncoderFixture.All().Single(f => f.File == file);
        byte[] committed = File.ReadAllBytes(Path.Combine(TestPaths.TestData, file));

        byte[] encoded = Encode(channels, pixels);

        Assert.Equal(encoded, Encode(channels, pixels));
        Assert.Equal(ToRgba(pixels, channels), PngDecoder.Decode(committed).Pixels);
        // Filter choices and chunk layout are ours alone; only the deflate bytes depend on the runtime's zlib.
        Assert.Equal(PngTestFiles.InflateImageData(committed), PngTestFiles.InflateImageData(encoded));
        Assert.Equal(PngTestFiles.Chunks(committed).Select(c => c.Type), PngTestFiles.Chunks(encoded).Select(c => c.Type));
        Assert.True(committed.AsSpan().SequenceEqual(encoded),
            "Same filtered data but different compressed bytes: the runtime's zlib changed. Regenerate the fixture and re-run the PIL check.");
    }

    [Fact]
    public void FixturesUseSeveralFilters()
    {
        byte[] raw = PngTestFiles.InflateImageData(File.ReadAllBytes(Path.Combine(TestPaths.TestData, "encoder-fixture-rgba.png")));
        int rowLength = 1 + EncoderFixture.Width * 4;
        var filters = Enumerable.Range(0, EncoderFixture.Height).Select(y => raw[y * rowLength]).Distinct().ToList();
        Assert.True(filters.Count >= 3, $"Only filters {string.Join(",", filters)} were chosen");
    }

    private static byte[] Encode(int channels, byte[] pixels) => channels switch
    {
        1 => PngEncoder.EncodeGray(EncoderFixture.Width, EncoderFixture.Height, pixels),
        2 => PngEncoder.EncodeGrayAlpha(EncoderFixture.Width, EncoderFixture.Height, pixels),
        _ => PngEncoder.EncodeRgba(EncoderFixture.Width, EncoderFixture.Height, pixels),
    };

    private static Dictionary<string, string> PilReport(string file)
    {
        string line = File.ReadAllLines(Path.Combine(TestPaths.TestData, "encoder-fixture.pil.txt")).Single(l => l.StartsWith(file + " ", StringComparison.Ordinal));
        return line.Split(' ').Skip(1).Select(kv => kv.Split('=')).ToDictionary(kv => kv[0], kv => kv[1]);
    }

    private static byte[] ToRgba(byte[] pixels, int channels)
    {
        int count = pixels.Length / channels;
        var rgba = new byte[count * 4];
        for (int i = 0; i < count; i++)
        {
            int s = i * channels;
            (byte r, byte g, byte b) = channels >= 3 ? (pixels[s], pixels[s + 1], pixels[s + 2]) : (pixels[s], pixels[s], pixels[s]);
            byte a = channels is 2 or 4 ? pixels[s + channels - 1] : (byte)255;
            (rgba[i * 4], rgba[i * 4 + 1], rgba[i * 4 + 2], rgba[i * 4 + 3]) = (r, g, b, a);
        }
        return rgba;
    }
}
