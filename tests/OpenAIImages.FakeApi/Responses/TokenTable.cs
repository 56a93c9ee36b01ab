namespace OpenAIImages.FakeApi.Responses;

/// <summary>
/// Token figures for GPT image usage. Output tokens come from the published table (quality x shape); other
/// sizes scale the square figure by pixel area. Input figures are the fake's estimates: a quarter token per
/// prompt character (rounded up) and a flat figure per input image.
/// </summary>
public static class TokenTable
{
    /// <summary>Image tokens counted for each input image of an edit, whatever its size or fidelity.</summary>
    public const int InputImageTokens = 256;

    /// <summary>Extra output tokens for each partial image a stream sends.</summary>
    public const int PartialImageTokens = 100;

    private const int Square = 0, Portrait = 1, Landscape = 2;

    private static readonly Dictionary<string, int[]> Output = new()
    {
        ["low"] = new[] { 272, 408, 400 },
        ["medium"] = new[] { 1056, 1584, 1568 },
        ["high"] = new[] { 4160, 6240, 6208 },
    };

    /// <summary>Output tokens for one image; <c>auto</c> quality counts as medium.</summary>
    public static int OutputTokens(string quality, int width, int height)
    {
        var row = Output.TryGetValue(quality, out var r) ? r : Output["medium"];
        if (width == 1024 && height == 1024) return row[Square];
        if (width == 1024 && height == 1536) return row[Portrait];
        if (width == 1536 && height == 1024) return row[Landscape];
        return (int)Math.Round(row[Square] * ((double)width * height / (1024.0 * 1024.0)), MidpointRounding.AwayFromZero);
    }

    /// <summary>The text-token estimate for a prompt: characters (code points) / 4, rounded up.</summary>
    public static int TextTokens(string prompt) => (prompt.EnumerateRunes().Count() + 3) / 4;
}

/// <summary>The figures of one usage object.</summary>
public sealed record UsageFigures(int TextTokens, int ImageTokens, int OutputTokens)
{
    public int InputTokens => TextTokens + ImageTokens;
    public int TotalTokens => InputTokens + OutputTokens;
}
