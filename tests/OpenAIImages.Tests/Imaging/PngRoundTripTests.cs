using System.IO.Compression;
using System.Runtime.InteropServices;
using OpenAIImages.Engine.Imaging;
using Xunit;

namespace OpenAIImages.Tests.Imaging;

/// <summary>Whatever the encoder writes, the decoder reads back to the same pixels.</summary>
public class PngRoundTripTests
{
    public enum Layout { Rgba, Gray, GrayAlpha }

    public static TheoryData<Layout, int, int, PngFilterStrategy> Cases()
    {
        var data = new TheoryData<Layout, int, int, PngFilterStrategy>();
        var sizes = new[] { (1, 1), (2, 1), (1, 2), (3, 5), (17, 9), (31, 32), (127, 3), (257, 65), (1023, 1024) };
        foreach (Layout layout in Enum.GetValues<Layout>())
            foreach (var (w, h) in sizes)
                data.Add(layout, w, h, PngFilterStrategy.Adaptive);
        // Every fixed filter on widths that leave vector loops with a scalar tail.
        foreach (Layout layout in Enum.GetValues<Layout>())
            foreach (PngFilterStrategy filter in new[] { PngFilterStrategy.None, PngFilterStrategy.Sub, PngFilterStrategy.Up, PngFilterStrategy.Average, PngFilterStrategy.Paeth })
                foreach (var (w, h) in new[] { (1, 1), (7, 3), (45, 11) })
                    data.Add(layout, w, h, filter);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void RandomPixelsSurvive(Layout layout, int width, int height, PngFilterStrategy filter)
    {
        int channels = layout switch { Layout.Gray => 1, Layout.GrayAlpha => 2, _ => 4 };
        var pixels = RandomImage(width * height * channels, seed: width * 31 + height);
        var options = new PngEncoderOptions { Filter = filter };
        byte[] png = layout switch
        {
            Layout.Gray => PngEncoder.EncodeGray(width, height, pixels, options),
            Layout.GrayAlpha => PngEncoder.EncodeGrayAlpha(width, height, pixels, options),
            _ => PngEncoder.EncodeRgba(width, height, pixels, options),
        };

        var decoded = PngDecoder.Decode(png);

        Assert.Equal((width, height), (decoded.Width, decoded.Height));
        Assert.Equal(ExpectedRgba(pixels, channels), decoded.Pixels);
        var info = ImageInfo.TryRead(png)!;
        Assert.Equal(layout != Layout.Gray, info.HasAlpha);
    }

    [Fact]
    public void FixedFilterWritesThatFilterOnEveryRow()
    {
        var pixels = RandomImage(9 * 4 * 4, seed: 1);
        foreach (PngFilterStrategy filter in new[] { PngFilterStrategy.None, PngFilterStrategy.Sub, PngFilterStrategy.Up, PngFilterStrategy.Average, PngFilterStrategy.Paeth })
        {
            byte[] raw = PngTestFiles.InflateImageData(PngEncoder.EncodeRgba(9, 4, pixels, new PngEncoderOptions { Filter = filter }));
            for (int y = 0; y < 4; y++) Assert.Equal((byte)filter, raw[y * (1 + 9 * 4)]);
        }
    }

    [Fact]
    public void AdaptiveFilteringBeatsNoFilteringOnSmoothImages()
    {
        // A smooth gradient: adaptive filtering should find Sub/Up/Paeth and compress much better.
        int w = 256, h = 256;
        var pixels = new byte[w * h * 4];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                int i = (y * w + x) * 4;
                pixels[i] = (byte)x; pixels[i + 1] = (byte)y; pixels[i + 2] = (byte)(x + y); pixels[i + 3] = 255;
            }
        int adaptive = PngEncoder.EncodeRgba(w, h, pixels).Length;
        int none = PngEncoder.EncodeRgba(w, h, pixels, new PngEncoderOptions { Filter = PngFilterStrategy.None }).Length;
        Assert.True(adaptive * 4 < none, $"adaptive {adaptive} bytes, unfiltered {none} bytes");
    }

    [Fact]
    public void EveryCompressionLevelRoundTrips()
    {
        var pixels = RandomImage(33 * 17 * 4, seed: 5);
        foreach (CompressionLevel level in new[] { CompressionLevel.Optimal, CompressionLevel.Fastest, CompressionLevel.NoCompression })
            Assert.Equal(pixels, PngDecoder.Decode(PngEncoder.EncodeRgba(33, 17, pixels, new PngEncoderOptions { Compression = level })).Pixels);
    }

    [Fact]
    public void MaximallyCompressedImagePassesThePlausibilityCheck()
    {
        // All-zero rows compress close to deflate's 1032:1 ceiling; the decoder's early "too short" check must not trip.
        const int side = 4000;
        var png = PngTestFiles.Simple(side, side, 8, 0, new byte[side * (side + 1)]);
        var image = PngDecoder.Decode(png);
        Assert.True(png.Length * 1000L < side * (side + 1L), $"only {png.Length} bytes, so the ratio is near the ceiling");
        var opaqueBlack = MemoryMarshal.Cast<byte, uint>(image.Pixels);
        Assert.Equal(-1, opaqueBlack.IndexOfAnyExcept(BitConverter.IsLittleEndian ? 0xFF000000u : 0x000000FFu));
    }

    [Fact]
    public void WritesTheImageDataAsWhole64KiBChunksAndOneShorterLast()
    {
        var pixels = RandomImage(300 * 200 * 4, 11);
        byte[] png = PngEncoder.EncodeRgba(300, 200, pixels);
        var chunks = PngTestFiles.Chunks(png);
        Assert.Equal("IHDR", chunks[0].Type);
        Assert.Equal("IEND", chunks[^1].Type);
        var idat = chunks.Skip(1).Take(chunks.Count - 2).ToList();
        Assert.True(idat.Count >= 3, $"only {idat.Count} IDAT chunks");
        Assert.All(idat, c => Assert.Equal("IDAT", c.Type));
        Assert.All(idat.Take(idat.Count - 1), c => Assert.Equal(64 * 1024, c.Length));
        Assert.InRange(idat[^1].Length, 1, 64 * 1024);
        // Nothing between or after the chunks: the file is exactly their sum.
        Assert.Equal(png.Length, 8 + chunks.Sum(c => 12 + c.Length));
        Assert.Equal(pixels, PngDecoder.Decode(png).Pixels);
    }

    public static TheoryData<string> ChooserImages() => new() { "random", "flat", "black", "mask", "gray" };

    [Theory]
    [MemberData(nameof(ChooserImages))]
    public void AdaptiveFilteringPicksTheFirstCheapestFilterOfEveryRow(string kind)
    {
        // The encoder stops scoring a filter once it cannot win; the choice must be that of scoring all five fully.
        int width = 700, height = 40, channels = kind == "gray" ? 1 : 4;
        var pixels = kind switch
        {
            "random" => RandomImage(width * height * channels, 3),
            "flat" => Enumerable.Repeat((byte)255, width * height * channels).ToArray(),
            "black" => new byte[width * height * channels],
            _ => RandomImage(width * height * channels, 8),
        };
        if (kind == "mask")
        {
            // White with a black band that starts at a different column on every row: rows alike and rows that differ.
            Array.Fill(pixels, (byte)255);
            for (int y = 0; y < height; y++)
                for (int x = 100 + y * 7; x < 300 + y * 3; x++)
                    for (int c = 0; c < 3; c++) pixels[(y * width + x) * 4 + c] = 0;
        }
        byte[] png = channels == 1 ? PngEncoder.EncodeGray(width, height, pixels) : PngEncoder.EncodeRgba(width, height, pixels);
        byte[] data = PngTestFiles.InflateImageData(png);
        int rowLength = width * channels;
        for (int y = 0; y < height; y++)
        {
            var row = pixels.AsSpan(y * rowLength, rowLength).ToArray();
            var prior = y == 0 ? new byte[rowLength] : pixels.AsSpan((y - 1) * rowLength, rowLength).ToArray();
            var costs = Enumerable.Range(0, 5).Select(f => Cost(Filtered((byte)f, row, prior, channels))).ToList();
            int expected = costs.IndexOf(costs.Min());
            Assert.True(expected == data[y * (rowLength + 1)], $"row {y}: filter {data[y * (rowLength + 1)]} chosen, costs {string.Join(", ", costs)}");
        }
    }

    // The specification's filters, a byte at a time, and libpng's cost: the bytes read as signed, in absolute value.
    private static byte[] Filtered(byte type, byte[] row, byte[] prior, int stride)
    {
        var output = new byte[row.Length];
        for (int i = 0; i < row.Length; i++)
        {
            int a = i >= stride ? row[i - stride] : 0, b = prior[i], c = i >= stride ? prior[i - stride] : 0;
            int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
            int paeth = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
            int predicted = type switch { 0 => 0, 1 => a, 2 => b, 3 => (a + b) / 2, _ => paeth };
            output[i] = (byte)(row[i] - predicted);
        }
        return output;
    }

    private static long Cost(byte[] filtered) => filtered.Sum(v => (long)(v < 128 ? v : 256 - v));

    [Fact]
    public void RejectsAWrongBufferLength()
    {
        Assert.Throws<ArgumentException>(() => PngEncoder.EncodeRgba(2, 2, new byte[15]));
        Assert.Throws<ArgumentException>(() => PngEncoder.EncodeGray(2, 2, new byte[5]));
        Assert.Throws<ArgumentOutOfRangeException>(() => PngEncoder.EncodeGray(0, 2, Array.Empty<byte>()));
    }

    /// <summary>Random bytes with some smooth stretches, so every filter wins on some rows.</summary>
    internal static byte[] RandomImage(int length, int seed)
    {
        var rng = new Random(seed);
        var pixels = new byte[length];
        rng.NextBytes(pixels);
        for (int i = 0; i < length; i += 97)
            for (int k = 1; k < 40 && i + k < length; k++) pixels[i + k] = (byte)(pixels[i] + k);
        return pixels;
    }

    private static byte[] ExpectedRgba(byte[] pixels, int channels)
    {
        int count = pixels.Length / channels;
        var rgba = new byte[count * 4];
        for (int i = 0; i < count; i++)
        {
            byte g = pixels[i * channels];
            (rgba[i * 4], rgba[i * 4 + 1], rgba[i * 4 + 2], rgba[i * 4 + 3]) = channels switch
            {
                1 => (g, g, g, (byte)255),
                2 => (g, g, g, pixels[i * 2 + 1]),
                _ => (pixels[i * 4], pixels[i * 4 + 1], pixels[i * 4 + 2], pixels[i * 4 + 3]),
            };
        }
        return rgba;
    }
}
