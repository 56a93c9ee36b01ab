using OpenAIImages.Engine.Imaging;

namespace OpenAIImages.Tests.Support;

/// <summary>Small real images made in memory, and files of them in a temporary folder.</summary>
public static class TestImages
{
    public static byte[] Solid(int width, int height, byte r, byte g, byte b, byte a = 255)
    {
        var pixels = new byte[width * height * 4];
        for (int i = 0; i < pixels.Length; i += 4) { pixels[i] = r; pixels[i + 1] = g; pixels[i + 2] = b; pixels[i + 3] = a; }
        return PngEncoder.EncodeRgba(width, height, pixels);
    }

    /// <summary>A mask whose left half is fully transparent (to be edited) and right half opaque.</summary>
    public static byte[] LeftHalfTransparentMask(int width, int height)
    {
        var pixels = new byte[width * height * 4];
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                int i = (y * width + x) * 4;
                pixels[i] = pixels[i + 1] = pixels[i + 2] = 255;
                pixels[i + 3] = x < width / 2 ? (byte)0 : (byte)255;
            }
        return PngEncoder.EncodeRgba(width, height, pixels);
    }

    /// <summary>A gray PNG: no alpha channel at all.</summary>
    public static byte[] Gray(int width, int height, byte value) => PngEncoder.EncodeGray(width, height, Enumerable.Repeat(value, width * height).ToArray());

    /// <summary>A file that starts like a PNG (valid header) padded to a size, for size-limit checks that never decode.</summary>
    public static byte[] PngOfLength(int width, int height, long length)
    {
        var header = Solid(width, height, 1, 2, 3);
        var data = new byte[length];
        Array.Copy(header, data, Math.Min(header.Length, data.Length));
        return data;
    }
}
