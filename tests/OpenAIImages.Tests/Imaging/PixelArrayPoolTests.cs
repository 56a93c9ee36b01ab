using System.IO;
using OpenAIImages.Engine.Imaging;
using Xunit;

namespace OpenAIImages.Tests.Imaging;

/// <summary>The pool holds one array for the whole process, so these tests run alone, after the parallel ones.</summary>
[CollectionDefinition(nameof(PixelArrayPoolTests), DisableParallelization = true)]
public sealed class PixelArrayPoolCollection { }

[Collection(nameof(PixelArrayPoolTests))]
public class PixelArrayPoolTests
{
    [Fact]
    public void GivesBackAnArrayOnlyForTheSameSize()
    {
        var array = new byte[4000];
        PixelArrayPool.Return(array);
        Assert.Same(array, PixelArrayPool.Rent(4000));
        Assert.False(PixelArrayPool.IsKeeping);

        PixelArrayPool.Return(array);
        var other = PixelArrayPool.Rent(4004);
        Assert.NotSame(array, other);
        Assert.Equal(4004, other.Length);
        Assert.NotSame(array, PixelArrayPool.Rent(4000));
    }

    [Fact]
    public void EverySuiteFileDecodesTheSameIntoAReusedArrayFullOfOldPixels()
    {
        // The decoder does not clear the array it is given: every path must write every byte of every pixel.
        foreach (var expected in ReferenceHashes.Load("pngsuite-rgba8.sha256"))
        {
            var stale = new byte[expected.Width * expected.Height * 4];
            Array.Fill(stale, (byte)0xA5);
            PixelArrayPool.Return(stale);
            var image = PngDecoder.Decode(File.ReadAllBytes(Path.Combine(TestPaths.PngSuite, expected.Name)));
            Assert.Same(stale, image.Pixels);
            Assert.True(expected.Sha256 == ReferenceHashes.Sha256(image.Pixels), expected.Name);
        }
    }

    [Fact]
    public void AlphaMaskGivesItsPixelsBackAndTheNextMaskOfTheSizeUsesThem()
    {
        var pixels = new byte[64 * 48 * 4];
        new Random(4).NextBytes(pixels);
        var png = PngEncoder.Encode(new RgbaImage(64, 48, pixels));
        PixelArrayPool.Rent(1); // empty the pool
        byte[] first = AlphaMask.ToPng(png);
        Assert.True(PixelArrayPool.IsKeeping);
        byte[] second = AlphaMask.ToPng(png);
        Assert.Equal(first, second);
        Assert.Equal(PngDecoder.Decode(first).Pixels, AlphaMask.ToImage(PngDecoder.Decode(png)).Pixels);
    }
}
