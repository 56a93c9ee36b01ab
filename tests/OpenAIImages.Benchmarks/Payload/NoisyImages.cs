using OpenAIImages.Engine.Imaging;

namespace OpenAIImages.Benchmarks.Payload;

/// <summary>
/// PNGs that compress about as badly as real model output. FakeApi's flat tiles shrink to a few kilobytes, which
/// would make a decode benchmark measure nothing; a photograph-like 1536x1024 image from the API is about 3 MB.
/// Here a smooth gradient carries a few bits of noise per channel, tuned so each file lands near 3 MB. The same seed
/// gives the same bytes on every run.
/// </summary>
public static class NoisyImages
{
    /// <summary>Noise added to every channel, 0 to NoiseSpan - 1: about log2(NoiseSpan) bits a sample survive deflate.</summary>
    private const int NoiseSpan = 12;

    public static byte[] Png(int width, int height, int seed) => Png(width, height, seed, NoiseSpan);

    /// <summary>The same with another amount of noise: a wider span survives deflate with more bits, a larger file.</summary>
    public static byte[] Png(int width, int height, int seed, int noiseSpan)
    {
        var rgba = new byte[width * height * 4];
        ulong state = 0x9E3779B97F4A7C15UL * (ulong)(seed + 1);
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                int at = (y * width + x) * 4;
                ulong noise = Next(ref state);
                rgba[at] = Channel(x * 200 / width + seed * 17, noise, noiseSpan);
                rgba[at + 1] = Channel(y * 200 / height + seed * 29, noise >> 16, noiseSpan);
                rgba[at + 2] = Channel((x + y) * 100 / (width + height) + seed * 43, noise >> 32, noiseSpan);
                rgba[at + 3] = 255;
            }
        }
        return PngEncoder.EncodeRgba(width, height, rgba);
    }

    private static byte Channel(int baseLevel, ulong noise, int span) => (byte)((baseLevel % 220) + (int)((noise & 0xFFFF) % (ulong)span));

    /// <summary>SplitMix64: fast, and the same on every runtime, unlike System.Random's unseeded algorithms.</summary>
    private static ulong Next(ref ulong state)
    {
        ulong z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
