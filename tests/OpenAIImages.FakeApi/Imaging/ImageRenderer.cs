using System.Text;

namespace OpenAIImages.FakeApi.Imaging;

/// <summary>
/// Draws the stand-in for a generated picture: a grid of flat 32-pixel tiles whose palette comes from a hash of
/// (prompt, index, size). Same inputs give the same pixels, different prompts give visibly different ones, and
/// flat tiles keep every encoder (PNG, the DC-only JPEG, the run-length WebP) small and exact.
/// </summary>
public static class ImageRenderer
{
    public const int TileSize = 32;

    /// <summary>RGBA8 pixels. With <paramref name="transparentBackground"/>, everything outside a centred ellipse has alpha 0.</summary>
    public static byte[] Render(string prompt, int index, int width, int height, bool transparentBackground)
    {
        ulong seed = Seed(prompt, index, width, height);
        var palette = new (byte R, byte G, byte B)[4];
        for (int i = 0; i < palette.Length; i++)
        {
            ulong c = Mix(seed + (ulong)i * 0x9E3779B97F4A7C15UL);
            palette[i] = ((byte)c, (byte)(c >> 8), (byte)(c >> 16));
        }

        var pixels = new byte[width * height * 4];
        int tilesAcross = (width + TileSize - 1) / TileSize;
        double cx = width / 2.0, cy = height / 2.0, rx = width * 0.4, ry = height * 0.4;
        for (int y = 0; y < height; y++)
        {
            int ty = y / TileSize;
            for (int x = 0; x < width; x++)
            {
                int tx = x / TileSize;
                var colour = palette[(int)(Mix(seed ^ (ulong)(ty * tilesAcross + tx + 1)) & 3)];
                int o = (y * width + x) * 4;
                pixels[o] = colour.R; pixels[o + 1] = colour.G; pixels[o + 2] = colour.B;
                bool inside = !transparentBackground || Square((x + 0.5 - cx) / rx) + Square((y + 0.5 - cy) / ry) <= 1.0;
                pixels[o + 3] = inside ? (byte)255 : (byte)0;
            }
        }
        return pixels;
    }

    /// <summary>A colour that stands for the prompt, used to paint edited areas.</summary>
    public static (byte R, byte G, byte B) PromptColour(string prompt, int index)
    {
        ulong c = Mix(Seed(prompt, index, 0, 0));
        return ((byte)c, (byte)(c >> 8), (byte)(c >> 16));
    }

    private static double Square(double v) => v * v;

    private static ulong Seed(string prompt, int index, int width, int height)
    {
        // FNV-1a over the UTF-8 prompt, then the numbers: stable across processes, unlike string.GetHashCode.
        ulong hash = 14695981039346656037UL;
        foreach (byte b in Encoding.UTF8.GetBytes(prompt)) hash = (hash ^ b) * 1099511628211UL;
        foreach (int n in new[] { index, width, height })
            for (int shift = 0; shift < 32; shift += 8) hash = (hash ^ (byte)(n >> shift)) * 1099511628211UL;
        return hash;
    }

    // SplitMix64 finaliser: spreads neighbouring seeds to unrelated colours.
    private static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
