using System.Globalization;

namespace OpenAIImages.FakeApi.Models;

/// <summary>
/// The spec's limits for arbitrary <c>WIDTHxHEIGHT</c> sizes: both sides divisible by 16, aspect ratio between 1:3
/// and 3:1, no edge above 3840 and no more pixels than 3840x2160.
/// </summary>
public static class FreeSizeRules
{
    public const int Multiple = 16;
    public const int MaxEdge = 3840;
    public const long MaxPixels = 3840L * 2160;
    public const int MaxAspect = 3;

    /// <summary>Parses <c>WxH</c> with plain decimal digits; anything else is not a size.</summary>
    public static bool TryParse(string text, out int width, out int height)
    {
        width = height = 0;
        int x = text.IndexOf('x');
        if (x <= 0 || x == text.Length - 1) return false;
        var w = text.AsSpan(0, x);
        var h = text.AsSpan(x + 1);
        foreach (char c in w) if (c < '0' || c > '9') return false;
        foreach (char c in h) if (c < '0' || c > '9') return false;
        return int.TryParse(w, NumberStyles.None, CultureInfo.InvariantCulture, out width)
            && int.TryParse(h, NumberStyles.None, CultureInfo.InvariantCulture, out height)
            && width > 0 && height > 0;
    }

    /// <summary>Null when the size is allowed, otherwise the reason in words.</summary>
    public static string? Check(int width, int height)
    {
        if (width % Multiple != 0 || height % Multiple != 0)
            return $"Width and height must both be divisible by {Multiple}.";
        if (width > MaxEdge || height > MaxEdge)
            return $"Width and height must each be at most {MaxEdge} pixels.";
        if ((long)width * height > MaxPixels)
            return "The requested resolution is above the maximum of 3840x2160 pixels.";
        if (width > (long)height * MaxAspect || height > (long)width * MaxAspect)
            return "The aspect ratio must be between 1:3 and 3:1.";
        return null;
    }
}
