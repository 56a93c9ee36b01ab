namespace OpenAIImages.Tests.Imaging;

/// <summary>
/// The pixels of the committed encoder fixtures (TestData/encoder-fixture-*.png): fixed formulas, so the same
/// pixels can be rebuilt anywhere without a random number generator.
/// </summary>
internal static class EncoderFixture
{
    public const int Width = 61, Height = 37;

    public static (string File, int Channels, byte[] Pixels)[] All() => new[]
    {
        ("encoder-fixture-rgba.png", 4, Build(4)),
        ("encoder-fixture-gray.png", 1, Build(1)),
        ("encoder-fixture-grayalpha.png", 2, Build(2)),
    };

    private static byte[] Build(int channels)
    {
        var pixels = new byte[Width * Height * channels];
        for (int y = 0; y < Height; y++)
            for (int x = 0; x < Width; x++)
            {
                int i = (y * Width + x) * channels;
                // A smooth ramp, a checker region and a hashed-noise band, so rows prefer different filters.
                int smooth = x * 4 + y * 2;
                int checker = ((x / 4 + y / 4) & 1) * 200;
                int noise = unchecked((uint)(x * 7919 + y * 104729) * 2654435761u) > 0x80000000u ? 255 : 0;
                int value = y < 12 ? smooth : y < 24 ? checker : noise ^ (x * 3);
                for (int c = 0; c < channels; c++) pixels[i + c] = (byte)(value + c * 60 + (c == channels - 1 && channels != 1 ? x : 0));
            }
        return pixels;
    }
}
