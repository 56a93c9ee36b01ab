namespace OpenAIImages.FakeApi.Models;

/// <summary>Which image endpoints a model serves.</summary>
[Flags]
public enum ImageEndpoints
{
    None = 0,
    Generations = 1,
    Edits = 2,
    Variations = 4,
}

/// <summary>
/// What the API allows for one model. The fake keeps its own rules on purpose, apart from the product's model
/// catalog: it stands in for the real service, so a mistake in the product's catalog shows up as a rejected request.
/// </summary>
public sealed record ModelRule
{
    public required string Name { get; init; }
    public required ImageEndpoints Endpoints { get; init; }

    /// <summary>True for the GPT image family: base64 output, token usage, output options, streaming.</summary>
    public required bool IsGptImage { get; init; }

    /// <summary>The fixed WxH sizes; <c>auto</c> and free sizes are separate switches.</summary>
    public required string[] Sizes { get; init; }
    public required bool AllowsAutoSize { get; init; }

    /// <summary>Free <c>WxH</c> sizes within <see cref="FreeSizeRules"/> (gpt-image-2).</summary>
    public required bool AllowsFreeSizes { get; init; }

    /// <summary>The size used when the request gives none.</summary>
    public required string DefaultSize { get; init; }

    /// <summary>Accepted <c>quality</c> words, <c>auto</c> included where the model takes it.</summary>
    public required string[] Qualities { get; init; }

    public required int MaxImages { get; init; }
    public required int MaxPromptLength { get; init; }
    public required bool SupportsStyle { get; init; }
    public required bool SupportsInputFidelity { get; init; }

    /// <summary>How many input images an edit may carry.</summary>
    public required int MaxEditImages { get; init; }

    /// <summary>Upper bound (exclusive) for each input image, in bytes.</summary>
    public required long MaxInputImageBytes { get; init; }

    /// <summary>The MIME types accepted for input images (and checked against the bytes).</summary>
    public required string[] InputMediaTypes { get; init; }

    /// <summary>DALL·E 2 edits and variations: one square PNG.</summary>
    public required bool InputMustBeSquarePng { get; init; }

    /// <summary>Only the DALL·E models take <c>response_format</c>; the GPT image models always answer in base64.</summary>
    public bool SupportsResponseFormat => !IsGptImage;
    public bool SupportsOutputOptions => IsGptImage;
    public bool SupportsStreaming => IsGptImage;
}

/// <summary>The one table of model rules. Adding a model is adding a row.</summary>
public static class ModelTable
{
    public const long FourMegabytes = 4L * 1024 * 1024;
    public const long FiftyMegabytes = 50L * 1024 * 1024;

    /// <summary>The model the API uses for edits without a <c>model</c> field.</summary>
    public const string DefaultEditModel = "gpt-image-1.5";

    /// <summary>Generations default to dall-e-2 unless a GPT-only parameter is present; then this model.</summary>
    public const string DefaultGptModel = "gpt-image-1.5";

    private static readonly string[] GptSizes = { "1024x1024", "1536x1024", "1024x1536" };
    private static readonly string[] GptQualities = { "low", "medium", "high", "auto" };
    private static readonly string[] GptMediaTypes = { "image/jpeg", "image/png", "image/webp" };

    private static ModelRule Gpt(string name, bool inputFidelity = true, bool freeSizes = false) => new()
    {
        Name = name,
        Endpoints = ImageEndpoints.Generations | ImageEndpoints.Edits,
        IsGptImage = true,
        Sizes = GptSizes,
        AllowsAutoSize = true,
        AllowsFreeSizes = freeSizes,
        DefaultSize = "auto",
        Qualities = GptQualities,
        MaxImages = 10,
        MaxPromptLength = 32000,
        SupportsStyle = false,
        SupportsInputFidelity = inputFidelity,
        MaxEditImages = 16,
        MaxInputImageBytes = FiftyMegabytes,
        InputMediaTypes = GptMediaTypes,
        InputMustBeSquarePng = false,
    };

    private static readonly ModelRule[] Rows =
    {
        new()
        {
            Name = "dall-e-2",
            Endpoints = ImageEndpoints.Generations | ImageEndpoints.Edits | ImageEndpoints.Variations,
            IsGptImage = false,
            Sizes = new[] { "256x256", "512x512", "1024x1024" },
            AllowsAutoSize = false,
            AllowsFreeSizes = false,
            DefaultSize = "1024x1024",
            Qualities = new[] { "standard", "auto" },
            MaxImages = 10,
            MaxPromptLength = 1000,
            SupportsStyle = false,
            SupportsInputFidelity = false,
            MaxEditImages = 1,
            MaxInputImageBytes = FourMegabytes,
            InputMediaTypes = new[] { "image/png" },
            InputMustBeSquarePng = true,
        },
        new()
        {
            Name = "dall-e-3",
            Endpoints = ImageEndpoints.Generations,
            IsGptImage = false,
            Sizes = new[] { "1024x1024", "1792x1024", "1024x1792" },
            AllowsAutoSize = false,
            AllowsFreeSizes = false,
            DefaultSize = "1024x1024",
            Qualities = new[] { "standard", "hd", "auto" },
            MaxImages = 1,
            MaxPromptLength = 4000,
            SupportsStyle = true,
            SupportsInputFidelity = false,
            MaxEditImages = 0,
            MaxInputImageBytes = 0,
            InputMediaTypes = Array.Empty<string>(),
            InputMustBeSquarePng = false,
        },
        Gpt("gpt-image-1"),
        Gpt("gpt-image-1-mini", inputFidelity: false),
        Gpt("gpt-image-1.5"),
        Gpt("gpt-image-2", freeSizes: true),
        Gpt("gpt-image-2-2026-04-21", freeSizes: true),
        Gpt("chatgpt-image-latest"),
    };

    public static IReadOnlyList<ModelRule> Known => Rows;

    /// <summary>
    /// The row for a model name. An unknown name is accepted, like the real API accepts new snapshots, and gets the
    /// generic GPT image checks (free sizes included, since the newest models take them).
    /// </summary>
    public static ModelRule Find(string name)
    {
        foreach (var row in Rows)
            if (string.Equals(row.Name, name, StringComparison.Ordinal)) return row;
        return Gpt(name, freeSizes: true);
    }

    public static bool IsKnown(string name) => Rows.Any(r => r.Name == name);
}
