using OpenAIImages.Engine.Imaging;
using OpenAIImages.FakeApi.Models;
using OpenAIImages.FakeApi.Recording;

namespace OpenAIImages.FakeApi.Validation;

/// <summary>
/// An input image as received: uploaded bytes (with their header facts, and the pixels when the format is PNG)
/// or a reference the fake cannot fetch.
/// </summary>
internal sealed record InputImage(string Field, byte[]? Data, ImageInfo? Info, string? Reference)
{
    public RgbaImage? Pixels { get; init; }
}

/// <summary>A request that passed validation, with every default resolved: what the fake will render and report.</summary>
internal sealed class ImageJob
{
    public required ApiOperation Operation { get; init; }
    public required ModelRule Model { get; init; }
    public required string ModelName { get; init; }

    /// <summary>The prompt; variations have none and use a seed derived from the input image.</summary>
    public required string Prompt { get; init; }
    public required int N { get; init; }
    public required int Width { get; init; }
    public required int Height { get; init; }

    /// <summary>The size as reported back (<c>auto</c> resolved).</summary>
    public string SizeLabel => $"{Width}x{Height}";

    /// <summary>The quality as reported back to GPT image requests (<c>auto</c> resolved to <c>medium</c>).</summary>
    public required string Quality { get; init; }

    /// <summary>DALL·E answers with URLs unless <c>response_format=b64_json</c>.</summary>
    public required bool ReturnUrl { get; init; }
    public required ImageFormat OutputFormat { get; init; }

    /// <summary><c>transparent</c> or <c>opaque</c> (<c>auto</c> resolved to <c>opaque</c>).</summary>
    public required string Background { get; init; }
    public required bool Stream { get; init; }
    public required int PartialImages { get; init; }
    public string? Style { get; init; }
    public string? InputFidelity { get; init; }
    public IReadOnlyList<InputImage> Images { get; init; } = Array.Empty<InputImage>();
    public InputImage? Mask { get; init; }

    public bool TransparentBackground => Background == "transparent";
}
