using System.Buffers.Binary;
using OpenAIImages.Engine.Imaging;
using Xunit;

namespace OpenAIImages.Tests.Imaging;

/// <summary>
/// Above 1 MiB of image data the decoder checks the IDAT CRCs on another thread while it inflates. The errors must be
/// those of a check done first, chunk by chunk: the first fault in the file is the one reported.
/// </summary>
public class LargeImageDataCrcTests
{
    private static readonly byte[] Noisy = MakeNoisy();

    private static byte[] MakeNoisy()
    {
        var pixels = new byte[1024 * 512 * 4];
        new Random(21).NextBytes(pixels);
        return PngEncoder.EncodeRgba(1024, 512, pixels);
    }

    private static List<(string Type, int Offset, int Length)> Idat(byte[] png) =>
        PngTestFiles.Chunks(png).Where(c => c.Type == "IDAT").ToList();

    private static ImageDecodeException DecodeFails(byte[] png) => Assert.Throws<ImageDecodeException>(() => PngDecoder.Decode(png));

    [Fact]
    public void TheImageIsLargeEnoughForTheCheckToRunBesideTheInflate()
    {
        Assert.True(Idat(Noisy).Sum(c => c.Length) >= 1 << 20);
        Assert.Equal(1024 * 512 * 4, PngDecoder.Decode(Noisy).Pixels.Length);
    }

    [Fact]
    public void AChangedByteInTheDataIsTheCrcMismatchOfItsChunk()
    {
        var png = (byte[])Noisy.Clone();
        var chunk = Idat(png)[5];
        png[chunk.Offset + 100] ^= 0x10;
        var error = DecodeFails(png);
        Assert.Equal(ImageDecodeFailure.Corrupt, error.Failure);
        Assert.StartsWith($"CRC mismatch in chunk IDAT at offset {chunk.Offset - 8} ", error.Message);
        // The same words as the integrity check, which checks every CRC before it inflates anything.
        Assert.Equal(Assert.Throws<ImageDecodeException>(() => ImageIntegrity.Check(png)).Message, error.Message);
    }

    [Fact]
    public void OfTwoDamagedChunksTheFirstIsReported()
    {
        var png = (byte[])Noisy.Clone();
        var chunks = Idat(png);
        png[chunks[9].Offset + 7] ^= 1;
        png[chunks[3].Offset + 7] ^= 1;
        Assert.StartsWith($"CRC mismatch in chunk IDAT at offset {chunks[3].Offset - 8} ", DecodeFails(png).Message);
    }

    [Fact]
    public void DamagedDeflateDataUnderAGoodCrcIsNotACrcError()
    {
        var png = (byte[])Noisy.Clone();
        var chunk = Idat(png)[2];
        for (int i = 0; i < 64; i++) png[chunk.Offset + 50 + i] = 0xFF;
        BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(chunk.Offset + chunk.Length), Crc32.Compute(png.AsSpan(chunk.Offset - 4, 4 + chunk.Length)));
        var error = DecodeFails(png);
        Assert.Equal(ImageDecodeFailure.Corrupt, error.Failure);
        Assert.DoesNotContain("CRC mismatch", error.Message);
    }

    [Fact]
    public void ABadCrcBeforeALaterFaultOfTheWalkIsReportedFirst()
    {
        // A text chunk between two IDAT chunks (not allowed) after an IDAT chunk whose CRC fails.
        var chunks = PngTestFiles.Chunks(Noisy);
        var idat = chunks.Where(c => c.Type == "IDAT").ToList();
        int split = idat[4].Offset - 8;
        var text = PngTestFiles.Chunk("tEXt", "Comment\0between"u8);
        var png = Noisy.AsSpan(0, split).ToArray().Concat(text).Concat(Noisy.AsSpan(split).ToArray()).ToArray();
        Assert.Contains("not consecutive", DecodeFails(png).Message);
        png[idat[1].Offset + 3] ^= 0x80;
        Assert.StartsWith($"CRC mismatch in chunk IDAT at offset {idat[1].Offset - 8} ", DecodeFails(png).Message);
    }
}
