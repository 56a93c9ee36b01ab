using OpenAIImages.FakeApi.Models;
using OpenAIImages.FakeApi.Recording;

namespace OpenAIImages.FakeApi.Validation;

/// <summary>POST /images/generations (CreateImageRequest, JSON only).</summary>
internal static class GenerationValidator
{
    private static readonly IReadOnlySet<string> Allowed = new HashSet<string>
    {
        "prompt", "model", "n", "quality", "response_format", "output_format", "output_compression",
        "stream", "partial_images", "size", "moderation", "background", "style", "user",
    };

    private static readonly string[] QualityEnum = { "standard", "hd", "low", "medium", "high", "auto" };

    /// <param name="defaultModel">The Azure deployment name, used when the body names no model.</param>
    public static ImageJob Validate(RequestFields fields, string? defaultModel)
    {
        fields.RejectUnknown(Allowed);
        string modelName = fields.String("model") ?? defaultModel
            // The spec: dall-e-2 unless a parameter only the GPT image models have is used.
            ?? (CommonRules.GptOnlyParameters.Any(fields.Has) ? ModelTable.DefaultGptModel : "dall-e-2");
        var model = CommonRules.Model(modelName, ApiOperation.Generations);

        string prompt = CommonRules.Prompt(fields, model);
        int n = CommonRules.N(fields, model);
        var (width, height) = CommonRules.Size(fields, model);
        string quality = CommonRules.Quality(fields, model, QualityEnum);
        bool returnUrl = CommonRules.ReturnUrl(fields, model);
        CommonRules.RejectUnsupported(fields, "style", model, model.SupportsStyle);
        string? style = CommonRules.Enum(fields, "style", CommonRules.Styles);
        var (format, background) = CommonRules.OutputOptions(fields, model, hasModeration: true);
        var (stream, partials) = CommonRules.Streaming(fields, model);
        fields.String("user");

        return new ImageJob
        {
            Operation = ApiOperation.Generations,
            Model = model,
            ModelName = modelName,
            Prompt = prompt,
            N = n,
            Width = width,
            Height = height,
            Quality = quality,
            ReturnUrl = returnUrl,
            OutputFormat = format,
            Background = background,
            Stream = stream,
            PartialImages = partials,
            Style = model.SupportsStyle ? style ?? "vivid" : null,
        };
    }
}
