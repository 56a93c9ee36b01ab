using OpenAIImages.Engine.Imaging;
using Xunit;
using static OpenAIImages.Tests.Imaging.PngTestFiles;

namespace OpenAIImages.Tests.Imaging;

/// <summary>Header-only measurement of PNG, JPEG and WebP, on tiny hand-made files.</summary>
public class ImageInfoTests
{
    private static byte[] Bytes(params object[] parts) => parts.SelectMany(p => p switch
    {
        byte[] b => b,
        string s => System.Text.Encoding.ASCII.GetBytes(s),
        int i => new[] { (byte)i },
        _ => throw new ArgumentException("bytes, strings or ints"),
    }).ToArray();

    private static byte[] Segment(int marker, params int[] payload) =>
        Bytes(0xFF, marker, (payload.Length + 2) >> 8, (payload.Length + 2) & 0xFF, payload.Select(p => (byte)p).ToArray());

    private static byte[] StartOfFrame(int marker, int width, int height) =>
        Segment(marker, 8, height >> 8, height & 0xFF, width >> 8, width & 0xFF, 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1);

    [Fact]
    public void JpegSizeComesFromTheFrameHeaderNotAnEmbeddedThumbnail()
    {
        // An APP1 segment carrying a thumbnail's SOF0 (160x120) must be skipped by its length.
        var app1 = Segment(0xE1, new byte[] { 0x45, 0x78, 0x69, 0x66, 0, 0 }.Select(b => (int)b).Concat(StartOfFrame(0xC0, 160, 120).Select(b => (int)b)).ToArray());
        var jpeg = Bytes(0xFF, 0xD8, Segment(0xE0, 0x4A, 0x46, 0x49, 0x46, 0), app1, Segment(0xDB, 0, 1, 2, 3), 0xFF, 0xFF,
            StartOfFrame(0xC2, 3000, 2000), Segment(0xDA, 1, 2, 3), 0xFF, 0xD9);

        var info = ImageInfo.TryRead(jpeg)!;

        Assert.Equal((ImageFormat.Jpeg, 3000, 2000, false), (info.Format, info.Width, info.Height, info.HasAlpha));
    }

    [Fact]
    public void JpegHuffmanAndArithmeticTablesAreNotFrames()
    {
        // C4 (DHT), C8 (JPG) and CC (DAC) share the SOF range but carry no size.
        var jpeg = Bytes(0xFF, 0xD8, Segment(0xC4, 0x10, 0x20, 0x30, 0x40, 0x50, 0x60, 0x70), Segment(0xCC, 0x10, 0x20, 0x30, 0x40, 0x50, 0x60),
            StartOfFrame(0xC1, 17, 9));
        Assert.Equal((17, 9), (ImageInfo.TryRead(jpeg)!.Width, ImageInfo.TryRead(jpeg)!.Height));
    }

    [Fact]
    public void JpegStrayBytesBetweenSegmentsAreSkipped()
    {
        var jpeg = Bytes(0xFF, 0xD8, Segment(0xE0, 1, 2), 0x00, 0x13, StartOfFrame(0xC0, 640, 480));
        Assert.Equal((640, 480), (ImageInfo.TryRead(jpeg)!.Width, ImageInfo.TryRead(jpeg)!.Height));
    }

    [Theory]
    [InlineData("scan before frame")]
    [InlineData("end before frame")]
    [InlineData("truncated frame")]
    [InlineData("zero height")]
    public void JpegWithoutAUsableFrameIsUnmeasured(string kind)
    {
        byte[] jpeg = kind switch
        {
            "scan before frame" => Bytes(0xFF, 0xD8, Segment(0xDA, 1, 2, 3), StartOfFrame(0xC0, 5, 5)),
            "end before frame" => Bytes(0xFF, 0xD8, 0xFF, 0xD9, StartOfFrame(0xC0, 5, 5)),
            "truncated frame" => Bytes(0xFF, 0xD8, StartOfFrame(0xC0, 5, 5)[..7]),
            _ => Bytes(0xFF, 0xD8, StartOfFrame(0xC0, 5, 0)),
        };
        Assert.Null(ImageInfo.TryRead(jpeg));
        Assert.Equal(ImageFormat.Jpeg, ImageInfo.SniffFormat(jpeg));
    }

    private static byte[] Riff(string fourcc, byte[] payload) =>
        Bytes("RIFF", BitConverter.GetBytes(4 + 8 + payload.Length), "WEBP", fourcc, BitConverter.GetBytes(payload.Length), payload);

    [Fact]
    public void WebPLossyKeyFrame()
    {
        // Frame tag (key frame), start code, width 400 with the scale bits set (must be masked off), height 300.
        var vp8 = Bytes(0x10, 0x02, 0x00, 0x9D, 0x01, 0x2A, 400 & 0xFF, (400 >> 8) | 0xC0, 300 & 0xFF, 300 >> 8, new byte[10]);
        var info = ImageInfo.TryRead(Riff("VP8 ", vp8))!;
        Assert.Equal((ImageFormat.WebP, 400, 300, false), (info.Format, info.Width, info.Height, info.HasAlpha));

        vp8[0] |= 1; // an inter frame has no size
        Assert.Null(ImageInfo.TryRead(Riff("VP8 ", vp8)));
    }

    [Fact]
    public void WebPLossless()
    {
        uint bits = (uint)(1000 - 1) | ((uint)(750 - 1) << 14) | (1u << 28);
        var info = ImageInfo.TryRead(Riff("VP8L", Bytes(0x2F, BitConverter.GetBytes(bits))))!;
        Assert.Equal((1000, 750, true), (info.Width, info.Height, info.HasAlpha));

        uint opaque = (uint)(15 - 1) | ((uint)(16384 - 1) << 14);
        info = ImageInfo.TryRead(Riff("VP8L", Bytes(0x2F, BitConverter.GetBytes(opaque))))!;
        Assert.Equal((15, 16384, false), (info.Width, info.Height, info.HasAlpha));

        Assert.Null(ImageInfo.TryRead(Riff("VP8L", Bytes(0x2E, BitConverter.GetBytes(bits)))));
        Assert.Null(ImageInfo.TryRead(Riff("VP8L", Bytes(0x2F, BitConverter.GetBytes(bits | (1u << 29))))));
    }

    [Fact]
    public void WebPExtended()
    {
        int w = 5000 - 1, h = 70000 - 1;
        var vp8x = Bytes(0x10, 0, 0, 0, w & 0xFF, (w >> 8) & 0xFF, w >> 16, h & 0xFF, (h >> 8) & 0xFF, h >> 16);
        var info = ImageInfo.TryRead(Riff("VP8X", vp8x))!;
        Assert.Equal((5000, 70000, true), (info.Width, info.Height, info.HasAlpha));

        vp8x[0] = 0x02; // animation only
        Assert.False(ImageInfo.TryRead(Riff("VP8X", vp8x))!.HasAlpha);
    }

    [Fact]
    public void WebPWithAnUnknownFirstChunkIsUnmeasured() =>
        Assert.Null(ImageInfo.TryRead(Riff("VP8Q", new byte[20])));

    [Fact]
    public void PngAlphaComesFromColorTypeOrTrns()
    {
        byte[] rows = { 0, 1, 0, 2 };
        Assert.False(ImageInfo.TryRead(Simple(1, 2, 8, 0, rows))!.HasAlpha);
        Assert.True(ImageInfo.TryRead(Simple(1, 2, 8, 0, rows, Chunk("tRNS", new byte[] { 0, 1 })))!.HasAlpha);
        Assert.True(ImageInfo.TryRead(Simple(1, 1, 8, 4, new byte[] { 0, 1, 2 }))!.HasAlpha);
        var palette = Chunk("PLTE", new byte[] { 1, 2, 3 });
        Assert.False(ImageInfo.TryRead(Simple(1, 1, 8, 3, new byte[] { 0, 0 }, palette))!.HasAlpha);
        Assert.True(ImageInfo.TryRead(Simple(1, 1, 8, 3, new byte[] { 0, 0 }, palette, Chunk("tRNS", new byte[] { 0 })))!.HasAlpha);

        // tRNS after the image data does not count.
        var late = File(Ihdr(1, 2, 8, 0), Chunk("IDAT", Zlib(rows)), Chunk("tRNS", new byte[] { 0, 1 }), Chunk("IEND", default));
        Assert.False(ImageInfo.TryRead(late)!.HasAlpha);
    }

    [Fact]
    public void PngSizeAndBadHeaders()
    {
        var png = Simple(300, 2, 8, 0, new byte[2 * 301]);
        var info = ImageInfo.TryRead(png)!;
        Assert.Equal((ImageFormat.Png, 300, 2), (info.Format, info.Width, info.Height));
        Assert.Equal("Png 300x2", info.ToString());

        Assert.Null(ImageInfo.TryRead(png[..20]));
        var wrongLength = (byte[])png.Clone();
        wrongLength[11] = 12;
        Assert.Null(ImageInfo.TryRead(wrongLength));
        Assert.Null(ImageInfo.TryRead(File(Ihdr(0, 2, 8, 0))));
        Assert.Null(ImageInfo.TryRead(File(Ihdr(-5, 2, 8, 0))));
    }

    [Fact]
    public void UnknownDataIsUnmeasured()
    {
        Assert.Null(ImageInfo.TryRead(Bytes("GIF89a", new byte[20])));
        Assert.Equal(ImageFormat.Unknown, ImageInfo.SniffFormat(Array.Empty<byte>()));
    }
}
