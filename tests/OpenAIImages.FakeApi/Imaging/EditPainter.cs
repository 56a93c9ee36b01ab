namespace OpenAIImages.FakeApi.Imaging;

/// <summary>
/// What the fake does to an input picture so a test can see the edit happened where it should: pixels under a
/// mask's fully transparent area (alpha 0) are painted with the prompt's colour and every other pixel is kept as
/// it was; without a mask the whole picture is tinted towards that colour.
/// </summary>
public static class EditPainter
{
    /// <summary>Paints pixels whose <paramref name="selector"/> alpha is 0 (selector: a mask, or the image itself).</summary>
    public static byte[] PaintTransparentArea(byte[] source, byte[] selector, (byte R, byte G, byte B) colour)
    {
        if (source.Length != selector.Length) throw new ArgumentException("The mask must cover the image exactly.", nameof(selector));
        var result = (byte[])source.Clone();
        for (int i = 0; i < result.Length; i += 4)
        {
            if (selector[i + 3] != 0) continue;
            result[i] = colour.R; result[i + 1] = colour.G; result[i + 2] = colour.B; result[i + 3] = 255;
        }
        return result;
    }

    /// <summary>Moves every pixel halfway towards the colour; alpha is kept.</summary>
    public static byte[] Tint(byte[] source, (byte R, byte G, byte B) colour)
    {
        var result = (byte[])source.Clone();
        for (int i = 0; i < result.Length; i += 4)
        {
            result[i] = (byte)((result[i] + colour.R + 1) / 2);
            result[i + 1] = (byte)((result[i + 1] + colour.G + 1) / 2);
            result[i + 2] = (byte)((result[i + 2] + colour.B + 1) / 2);
        }
        return result;
    }

    /// <summary>Nearest-neighbour resize; the output keeps hard mask edges, which keeps the edited area exact.</summary>
    public static byte[] Resize(byte[] source, int sourceWidth, int sourceHeight, int width, int height)
    {
        if (sourceWidth == width && sourceHeight == height) return source;
        var result = new byte[width * height * 4];
        for (int y = 0; y < height; y++)
        {
            int sy = (int)((long)y * sourceHeight / height);
            for (int x = 0; x < width; x++)
            {
                int sx = (int)((long)x * sourceWidth / width);
                Buffer.BlockCopy(source, (sy * sourceWidth + sx) * 4, result, (y * width + x) * 4, 4);
            }
        }
        return result;
    }

    /// <summary>
    /// A streamed partial image: the top share of the final picture (more with each partial), the rest flat grey,
    /// so partials differ from each other and from the final image.
    /// </summary>
    public static byte[] Partial(byte[] final, int width, int height, int partialIndex, int partialCount)
    {
        var result = (byte[])final.Clone();
        int keptRows = height * (partialIndex + 1) / (partialCount + 1);
        for (int i = keptRows * width * 4; i < result.Length; i += 4)
        {
            result[i] = 128; result[i + 1] = 128; result[i + 2] = 128; result[i + 3] = 255;
        }
        return result;
    }
}
