using System.Buffers.Binary;
using OpenAIImages.Engine.Imaging;
using Xunit;
using static OpenAIImages.Tests.Imaging.PngTestFiles;

namespace OpenAIImages.Tests.Imaging;

/// <summary>Broken and hostile files: each fails with ImageDecodeException, the right failure kind and a message naming the problem.</summary>
public class PngDecoderErrorTests
{
    /// <summary>Two rows of a 2x2 gray image, filter None.</summary>
    private static readonly byte[] TwoRows = { 0, 10, 20, 0, 30, 40 };

    private static ImageDecodeException Fails(byte[] png, string message, ImageDecodeFailure failure = ImageDecodeFailure.Corrupt, PngDecoderOptions? options = null)
    {
        var ex = Assert.Throws<ImageDecodeException>(() => PngDecoder.Decode(png, options));
        Assert.Contains(message, ex.Message);
        Assert.Equal(failure, ex.Failure);
        return ex;
    }

    [Fact]
    public void ValidBaselineDecodes()
    {
        var image = PngDecoder.Decode(Simple(2, 2, 8, 0, TwoRows));
        Assert.Equal(new byte[] { 10, 10, 10, 255, 20, 20, 20, 255, 30, 30, 30, 255, 40, 40, 40, 255 }, image.Pixels);
    }

    [Fact]
    public void PixelLimitIsCheckedFromTheHeader() =>
        Fails(Simple(11, 10, 8, 0, new byte[10 * 12]), "more than the limit of 100 pixels", ImageDecodeFailure.LimitExceeded, new PngDecoderOptions { MaxPixelCount = 100 });

    [Fact]
    public void DecompressedSizeLimitIsCheckedFromTheHeader() =>
        Fails(Simple(100, 100, 16, 6, new byte[10]), "more than the limit of 50,000 bytes", ImageDecodeFailure.LimitExceeded, new PngDecoderOptions { MaxDecompressedBytes = 50_000 });

    [Fact]
    public void DefaultLimitRefusesHugeDimensions() =>
        Fails(File(Ihdr(20000, 20000, 8, 6), Chunk("IEND", default)), "more than the limit of 100,000,000 pixels", ImageDecodeFailure.LimitExceeded);

    [Fact]
    public void BuffersStayWithinArrayLimitsEvenWithoutOptionLimits()
    {
        var unlimited = new PngDecoderOptions { MaxPixelCount = long.MaxValue, MaxDecompressedBytes = long.MaxValue };
        Fails(File(Ihdr(int.MaxValue, 1, 16, 6), Chunk("IEND", default)), "too large for this decoder's buffers", ImageDecodeFailure.LimitExceeded, unlimited);
        Fails(File(Ihdr(100_000, 100_000, 8, 0), Chunk("IEND", default)), "too large for this decoder's buffers", ImageDecodeFailure.LimitExceeded, unlimited);
    }

    [Fact]
    public void HugeHeaderWithTinyDataFailsWithoutAllocatingPixels()
    {
        var png = Simple(10000, 10000, 8, 0, new byte[1000]);
        long before = GC.GetAllocatedBytesForCurrentThread();
        Fails(png, "image data is too short", ImageDecodeFailure.Truncated);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1_000_000);
    }

    [Fact]
    public void ZlibStreamShorterThanTheImage() => Fails(Simple(2, 2, 8, 0, TwoRows.AsSpan(0, 4)), "ends early", ImageDecodeFailure.Truncated);

    [Fact]
    public void ZlibStreamLongerThanTheImage() => Fails(Simple(2, 2, 8, 0, TwoRows.Concat(new byte[] { 0, 1, 2 }).ToArray()), "more data than the 6 bytes");

    [Fact]
    public void AdlerMismatch()
    {
        byte[] zlib = Zlib(TwoRows);
        zlib[^1] ^= 0x55;
        Fails(File(Ihdr(2, 2, 8, 0), Chunk("IDAT", zlib), Chunk("IEND", default)), "Adler-32 mismatch");
    }

    [Fact]
    public void InvalidDeflateData()
    {
        // Header 78 9C, then a block header with BTYPE 11 (reserved).
        byte[] zlib = { 0x78, 0x9C, 0x07, 0, 0, 0, 0, 0, 0, 0 };
        Fails(File(Ihdr(2, 2, 8, 0), Chunk("IDAT", zlib), Chunk("IEND", default)), "not valid deflate data");
    }

    [Theory]
    [InlineData(new byte[] { 0x79, 0x9C - 25 }, "compression method 9")]
    [InlineData(new byte[] { 0x88, 0x98 }, "window")]
    [InlineData(new byte[] { 0x78, 0x9D }, "check bits")]
    [InlineData(new byte[] { 0x78, 0xBB }, "preset dictionary")]
    public void BadZlibHeader(byte[] header, string message)
    {
        byte[] zlib = Zlib(TwoRows);
        zlib[0] = header[0];
        zlib[1] = header[1];
        Fails(File(Ihdr(2, 2, 8, 0), Chunk("IDAT", zlib), Chunk("IEND", default)), message);
    }

    [Fact]
    public void ABadRowBeforeTheStreamEndsEarlyIsTheErrorReported()
    {
        // Ten rows of five bytes, rows are read several at a time, and the stream stops inside row 6: row 2's bad
        // filter byte comes first in the file, so it is what the message names.
        var rows = new byte[6 * 5 + 2];
        rows[2 * 5] = 7;
        Fails(Simple(4, 10, 8, 0, rows), "Invalid filter type 7 on row 2");
        rows[2 * 5] = 0;
        Fails(Simple(4, 10, 8, 0, rows), "ends early", ImageDecodeFailure.Truncated);
    }

    [Fact]
    public void BadFilterType() => Fails(Simple(2, 2, 8, 0, new byte[] { 0, 1, 2, 5, 3, 4 }), "Invalid filter type 5 on row 1");

    [Fact]
    public void TruncatedInsideIdat()
    {
        var png = Simple(2, 2, 8, 0, TwoRows);
        int idat = Chunks(png).Single(c => c.Type == "IDAT").Offset;
        Fails(png[..(idat + 3)], "PNG truncated inside chunk IDAT", ImageDecodeFailure.Truncated);
    }

    [Fact]
    public void MissingIend()
    {
        var png = Simple(2, 2, 8, 0, TwoRows);
        Fails(png[..^12], "before the IEND chunk", ImageDecodeFailure.Truncated);
        Fails(png[..^3], "truncated inside chunk IEND", ImageDecodeFailure.Truncated);
        Fails(png[..^9], "inside the chunk header", ImageDecodeFailure.Truncated);
    }

    [Fact]
    public void TrailingBytesAfterIendAreIgnored() =>
        Assert.Equal(4, PngDecoder.Decode(Simple(2, 2, 8, 0, TwoRows).Concat(new byte[] { 1, 2, 3 }).ToArray()).Pixels.Length / 4);

    [Fact]
    public void ChunkLengthOverTheMaximum()
    {
        var png = Simple(2, 2, 8, 0, TwoRows);
        int idat = Chunks(png).Single(c => c.Type == "IDAT").Offset;
        BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(idat - 8), 0x80000001);
        Fails(png, "declares length 2147483649");
    }

    [Fact]
    public void ChunkTypeMustBeLetters()
    {
        var png = Simple(2, 2, 8, 0, TwoRows, Chunk("tEXt", new byte[] { 65, 0, 66 }));
        png[Chunks(png).Single(c => c.Type == "tEXt").Offset - 2] = (byte)'1';
        Fails(png, "Invalid chunk type bytes");
    }

    [Fact]
    public void CrcMismatchInAncillaryChunk()
    {
        var png = Simple(2, 2, 8, 0, TwoRows, Chunk("tEXt", new byte[] { 65, 0, 66 }));
        png[Chunks(png).Single(c => c.Type == "tEXt").Offset] ^= 1;
        Fails(png, "CRC mismatch in chunk tEXt");
    }

    [Fact]
    public void UnknownAncillaryChunkIsSkippedButUnknownCriticalChunkFails()
    {
        Assert.Equal(16, PngDecoder.Decode(Simple(2, 2, 8, 0, TwoRows, Chunk("zzZz", new byte[] { 1, 2 }))).Pixels.Length);
        Fails(Simple(2, 2, 8, 0, TwoRows, Chunk("ZZZZ", new byte[] { 1, 2 })), "Unknown critical chunk ZZZZ");
    }

    [Fact]
    public void HeaderRules()
    {
        Fails(File(Chunk("IDAT", Zlib(TwoRows)), Ihdr(2, 2, 8, 0), Chunk("IEND", default)), "must start with IHDR");
        Fails(File(Chunk("IHDR", new byte[12]), Chunk("IEND", default)), "IHDR chunk has length 12");
        Fails(File(Ihdr(0, 2, 8, 0), Chunk("IEND", default)), "width 0 is invalid");
        Fails(File(Ihdr(2, -1, 8, 0), Chunk("IEND", default)), "height 4294967295 is invalid");
        Fails(File(Ihdr(2, 2, 8, 0, interlace: 2), Chunk("IEND", default)), "interlace method 2");
        Fails(File(Ihdr(2, 2, 8, 0), Ihdr(2, 2, 8, 0), Chunk("IEND", default)), "more than one IHDR");
        var ihdr = Ihdr(2, 2, 8, 0);
        ihdr[8 + 10] = 1;
        Fails(File(Chunk("IHDR", ihdr.AsSpan(8, 13)), Chunk("IEND", default)), "compression method 1");
        ihdr = Ihdr(2, 2, 8, 0);
        ihdr[8 + 11] = 1;
        Fails(File(Chunk("IHDR", ihdr.AsSpan(8, 13)), Chunk("IEND", default)), "filter method 1");
        Fails(File(Ihdr(2, 2, 8, 0), Chunk("IEND", default)), "no IDAT chunk");
    }

    [Fact]
    public void PaletteRules()
    {
        var plte = Chunk("PLTE", new byte[] { 255, 0, 0, 0, 255, 0 });
        byte[] rows = { 0, 0x10, 0, 0x00 }; // 2x2, 4-bit indices 1,0 / 0,0
        var image = PngDecoder.Decode(Simple(2, 2, 4, 3, rows, plte));
        Assert.Equal(new byte[] { 0, 255, 0, 255, 255, 0, 0, 255 }, image.Pixels[..8]);

        Fails(Simple(2, 2, 4, 3, new byte[] { 0, 0x20, 0, 0 }, plte), "Palette index 2 is out of range");
        Fails(Simple(2, 2, 4, 3, rows), "no PLTE chunk");
        Fails(Simple(2, 2, 4, 3, rows, Chunk("PLTE", new byte[] { 1, 2, 3, 4 })), "PLTE chunk has length 4");
        Fails(Simple(2, 2, 4, 3, rows, plte, Chunk("tRNS", new byte[] { 1, 2, 3 })), "tRNS chunk has 3 alpha values but the palette has only 2");
        Fails(Simple(2, 2, 4, 3, rows, Chunk("tRNS", new byte[] { 1 }), plte), "tRNS chunk comes before PLTE");
        Fails(Simple(2, 2, 4, 3, rows, plte, plte), "more than one PLTE");
    }

    [Fact]
    public void TransparencyKeyRules()
    {
        Fails(Simple(2, 2, 8, 0, TwoRows, Chunk("tRNS", new byte[] { 0, 1, 2 })), "a grayscale image needs 2");
        Fails(Simple(1, 1, 8, 2, new byte[] { 0, 1, 2, 3 }, Chunk("tRNS", new byte[] { 0, 1 })), "an RGB image needs 6");
        // Ignored where the image has its own alpha channel, as libpng does.
        Assert.Equal(new byte[] { 1, 1, 1, 2 }, PngDecoder.Decode(Simple(1, 1, 8, 4, new byte[] { 0, 1, 2 }, Chunk("tRNS", new byte[] { 0, 1 }))).Pixels);
    }

    [Fact]
    public void SixteenBitKeyIsComparedAtFullPrecision()
    {
        byte[] rows = { 0, 0x12, 0x34, 0x12, 0x35 }; // 2x1 gray16: 0x1234, 0x1235
        var png = Simple(2, 1, 16, 0, rows, Chunk("tRNS", new byte[] { 0x12, 0x34 }));
        Assert.Equal(new byte[] { 0x12, 0x12, 0x12, 0, 0x12, 0x12, 0x12, 255 }, PngDecoder.Decode(png).Pixels);
        Assert.Equal(new ushort[] { 0x1234, 0x1234, 0x1234, 0, 0x1235, 0x1235, 0x1235, 65535 }, PngDecoder.DecodeRgba16(png).Pixels);
    }

    [Fact]
    public void IdatChunksMustBeConsecutive()
    {
        byte[] zlib = Zlib(TwoRows);
        var png = File(Ihdr(2, 2, 8, 0), Chunk("IDAT", zlib[..4]), Chunk("tEXt", new byte[] { 65, 0 }), Chunk("IDAT", zlib[4..]), Chunk("IEND", default));
        Fails(png, "not consecutive");
    }

    [Fact]
    public void ImageDataMaySpanManyChunksIncludingEmptyOnes()
    {
        byte[] zlib = Zlib(TwoRows);
        var chunks = new List<byte[]> { Ihdr(2, 2, 8, 0), Chunk("IDAT", default) };
        chunks.AddRange(zlib.Select(b => Chunk("IDAT", new[] { b })));
        chunks.Add(Chunk("IEND", default));
        Assert.Equal(PngDecoder.Decode(Simple(2, 2, 8, 0, TwoRows)).Pixels, PngDecoder.Decode(File(chunks.ToArray())).Pixels);
    }

    [Theory]
    [InlineData(new byte[0], "The data is empty", ImageDecodeFailure.Truncated)]
    [InlineData(new byte[] { 0x89, 0x50, 0x4E }, "inside the signature", ImageDecodeFailure.Truncated)]
    [InlineData(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, "ends after the signature", ImageDecodeFailure.Truncated)]
    [InlineData(new byte[] { (byte)'G', (byte)'I', (byte)'F', (byte)'8', (byte)'9', (byte)'a', 0, 0 }, "does not start with the PNG signature", ImageDecodeFailure.UnsupportedFormat)]
    public void NotOrBarelyAPng(byte[] data, string message, ImageDecodeFailure failure) => Fails(data, message, failure);
}
