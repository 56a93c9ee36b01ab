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
        int stride = width * 4;
        int tilesAcross = (width + TileSize - 1) / TileSize;
        for (int y = 0; y < height; y++)
        {
            var row = pixels.AsSpan(y * stride, stride);
            if (y % TileSize != 0)
            {
                // Rows inside a band of tiles repeat the band's first row.
                pixels.AsSpan((y - 1) * stride, stride).CopyTo(row);
                continue;
            }
            int ty = y / TileSize;
            for (int tx = 0; tx < tilesAcross; tx++)
            {
                var colour = palette[(int)(Mix(seed ^ (ulong)(ty * tilesAcross + tx + 1)) & 3)];
                int end = Math.Min(width, (tx + 1) * TileSize);
                for (int x = tx * TileSize; x < end; x++)
                {
                    row[x * 4] = colour.R; row[x * 4 + 1] = colour.G; row[x * 4 + 2] = colour.B; row[x * 4 + 3] = 255;
                }
            }
        }
        if (transparentBackground) ClearOutsideEllipse(pixels, width, height);
        return pixels;
    }

    /// <summary>A colour that stands for the prompt, used to paint edited areas.</summary>
    public static (byte R, byte G, byte B) PromptColour(string prompt, int index)
    {
        ulong c = Mix(Seed(prompt, index, 0, 0));
        return ((byte)c, (byte)(c >> 8), (byte)(c >> 16));
    }

    /// <summary>Alpha 0 outside a centred ellipse (radii 40% of each side): the "subject" stays, the background goes.</summary>
    private static void ClearOutsideEllipse(byte[] pixels, int width, int height)
    {
        double cx = width / 2.0, cy = height / 2.0, rx = width * 0.4, ry = height * 0.4;
        for (int y = 0; y < height; y++)
        {
            double dy = (y + 0.5 - cy) / ry;
            double remaining = 1.0 - dy * dy;
            // Pixels with |x + 0.5 - cx| <= halfWidth are inside; everything else on the row is cleared.
            double halfWidth = remaining < 0 ? -1 : Math.Sqrt(remaining) * rx;
            for (int x = 0; x < width; x++)
                if (Math.Abs(x + 0.5 - cx) > halfWidth) pixels[(y * width + x) * 4 + 3] = 0;
        }
    }

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
