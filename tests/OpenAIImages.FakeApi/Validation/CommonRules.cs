using System.Globalization;
using OpenAIImages.Engine.Imaging;
using OpenAIImages.FakeApi.Http;
using OpenAIImages.FakeApi.Models;
using OpenAIImages.FakeApi.Recording;

namespace OpenAIImages.FakeApi.Validation;

/// <summary>The checks every image operation shares: prompt, n, size, quality and the model-specific options.</summary>
internal static class CommonRules
{
    public static readonly string[] ResponseFormats = { "url", "b64_json" };
    public static readonly string[] OutputFormats = { "png", "jpeg", "webp" };
    public static readonly string[] Backgrounds = { "transparent", "opaque", "auto" };
    public static readonly string[] Moderations = { "low", "auto" };
    public static readonly string[] Styles = { "vivid", "natural" };
    public static readonly string[] InputFidelities = { "high", "low" };

    /// <summary>Parameters that exist only for the GPT image models; their presence picks a GPT default model.</summary>
    public static readonly string[] GptOnlyParameters = { "output_format", "output_compression", "background", "moderation", "stream", "partial_images" };

    public static ApiErrorException Invalid(string message, string? param, string code) =>
        new(ApiError.Invalid(message, param, code));

    /// <summary>Resolves the model row and checks it serves the operation.</summary>
    public static ModelRule Model(string name, ApiOperation operation)
    {
        var rule = ModelTable.Find(name);
        var needed = operation switch
        {
            ApiOperation.Generations => ImageEndpoints.Generations,
            ApiOperation.Edits => ImageEndpoints.Edits,
            _ => ImageEndpoints.Variations,
        };
        if ((rule.Endpoints & needed) == 0)
        {
            string what = operation switch
            {
                ApiOperation.Generations => "image generation",
                ApiOperation.Edits => "image edits",
                _ => "image variations",
            };
            throw Invalid($"Invalid value: '{name}'. The model '{name}' does not support {what}.", "model", ErrorCodes.InvalidValue);
        }
        return rule;
    }

    public static string Prompt(RequestFields fields, ModelRule model)
    {
        string? prompt = fields.String("prompt");
        if (prompt is null) throw Invalid("Missing required parameter: 'prompt'.", "prompt", ErrorCodes.MissingRequiredParameter);
        if (prompt.Length == 0)
            throw Invalid("Invalid 'prompt': empty string. Expected a string with minimum length 1, but got an empty string instead.", "prompt", ErrorCodes.EmptyString);
        // The API counts characters (code points), not UTF-16 units.
        int length = prompt.EnumerateRunes().Count();
        if (length > model.MaxPromptLength)
            throw Invalid($"Invalid 'prompt': string too long. Expected a string with maximum length {model.MaxPromptLength}, but got a string with length {length} instead.",
                "prompt", ErrorCodes.StringAboveMaxLength);
        return prompt;
    }

    public static int N(RequestFields fields, ModelRule model)
    {
        int n = IntInRange(fields, "n", 1, 10) ?? 1;
        if (n > model.MaxImages)
            throw Invalid($"Invalid 'n': the model '{model.Name}' supports at most n={model.MaxImages}.", "n", ErrorCodes.InvalidValue);
        return n;
    }

    public static int? IntInRange(RequestFields fields, string name, int min, int max)
    {
        int? value = fields.Int(name);
        if (value is null) return null;
        if (value < min)
            throw Invalid($"Invalid '{name}': integer below minimum value. Expected a value >= {min}, but got {value} instead.", name, ErrorCodes.IntegerBelowMinValue);
        if (value > max)
            throw Invalid($"Invalid '{name}': integer above maximum value. Expected a value <= {max}, but got {value} instead.", name, ErrorCodes.IntegerAboveMaxValue);
        return value;
    }

    /// <summary>An enum field: null when absent, an error naming the supported values when not one of them.</summary>
    public static string? Enum(RequestFields fields, string name, IReadOnlyList<string> allowed)
    {
        string? value = fields.String(name);
        if (value is null) return null;
        if (!allowed.Contains(value))
            throw Invalid($"Invalid value: '{value}'. Supported values are: {Join(allowed)}.", name, ErrorCodes.InvalidValue);
        return value;
    }

    /// <summary>Resolves the size to pixels: the model's fixed sizes, <c>auto</c> (1024x1024) or a checked free size.</summary>
    public static (int Width, int Height) Size(RequestFields fields, ModelRule model, IReadOnlyList<string>? schemaEnum = null)
    {
        string size = (schemaEnum is null ? fields.String("size") : Enum(fields, "size", schemaEnum)) ?? model.DefaultSize;
        if (size == "auto")
        {
            if (!model.AllowsAutoSize)
                throw Invalid($"Invalid value: 'auto'. Supported sizes for '{model.Name}' are: {Join(model.Sizes)}.", "size", ErrorCodes.InvalidValue);
            return (1024, 1024);
        }
        if (model.Sizes.Contains(size) && FreeSizeRules.TryParse(size, out int w, out int h)) return (w, h);
        if (model.AllowsFreeSizes && FreeSizeRules.TryParse(size, out w, out h))
        {
            string? problem = FreeSizeRules.Check(w, h);
            if (problem is not null) throw Invalid($"Invalid value: '{size}'. {problem}", "size", ErrorCodes.InvalidValue);
            return (w, h);
        }
        string supported = Join(model.AllowsAutoSize ? model.Sizes.Append("auto").ToArray() : model.Sizes);
        string free = model.AllowsFreeSizes ? " or WIDTHxHEIGHT with both sides divisible by 16" : "";
        throw Invalid($"Invalid value: '{size}'. Supported sizes for '{model.Name}' are: {supported}{free}.", "size", ErrorCodes.InvalidValue);
    }

    /// <summary>Checks quality against the operation's schema enum, then the model; returns what is reported back.</summary>
    public static string Quality(RequestFields fields, ModelRule model, IReadOnlyList<string> schemaEnum)
    {
        string? quality = Enum(fields, "quality", schemaEnum);
        if (quality is not null && !model.Qualities.Contains(quality))
            throw Invalid($"Invalid value: '{quality}'. Supported qualities for '{model.Name}' are: {Join(model.Qualities)}.", "quality", ErrorCodes.InvalidValue);
        if (model.IsGptImage) return quality is null or "auto" ? "medium" : quality;
        return quality == "hd" ? "hd" : "standard";
    }

    public static void RejectUnsupported(RequestFields fields, string name, ModelRule model, bool supported)
    {
        if (!supported && fields.Has(name))
            throw Invalid($"Unsupported parameter: '{name}' is not supported with the model '{model.Name}'.", name, ErrorCodes.UnsupportedParameter);
    }

    /// <summary>DALL·E answers with a URL unless asked for base64; GPT image models reject the field.</summary>
    public static bool ReturnUrl(RequestFields fields, ModelRule model)
    {
        RejectUnsupported(fields, "response_format", model, model.SupportsResponseFormat);
        string? format = Enum(fields, "response_format", ResponseFormats);
        return !model.IsGptImage && format != "b64_json";
    }

    /// <summary>output_format, output_compression, background (and moderation where the operation has it).</summary>
    public static (ImageFormat Format, string Background) OutputOptions(RequestFields fields, ModelRule model, bool hasModeration)
    {
        RejectUnsupported(fields, "output_format", model, model.SupportsOutputOptions);
        RejectUnsupported(fields, "output_compression", model, model.SupportsOutputOptions);
        RejectUnsupported(fields, "background", model, model.SupportsOutputOptions);
        if (hasModeration) RejectUnsupported(fields, "moderation", model, model.SupportsOutputOptions);

        string format = Enum(fields, "output_format", OutputFormats) ?? "png";
        int? compression = IntInRange(fields, "output_compression", 0, 100);
        // The spec's own example sends output_compression 100 with png; 100 is the default and changes nothing,
        // so only a real compression level is refused for png.
        if (compression is { } level && level != 100 && format == "png")
            throw Invalid("Invalid 'output_compression': compression is only supported for the 'jpeg' and 'webp' output formats.", "output_compression", ErrorCodes.InvalidValue);
        string background = Enum(fields, "background", Backgrounds) ?? "auto";
        if (background == "transparent" && format == "jpeg")
            throw Invalid("Invalid value: 'transparent'. Transparent backgrounds need the 'png' or 'webp' output format.", "background", ErrorCodes.InvalidValue);
        if (hasModeration) Enum(fields, "moderation", Moderations);

        var imageFormat = format switch { "jpeg" => ImageFormat.Jpeg, "webp" => ImageFormat.WebP, _ => ImageFormat.Png };
        return (imageFormat, background == "transparent" ? "transparent" : "opaque");
    }

    public static (bool Stream, int PartialImages) Streaming(RequestFields fields, ModelRule model)
    {
        bool stream = fields.Bool("stream") ?? false;
        if (stream && !model.SupportsStreaming)
            throw Invalid($"Unsupported parameter: 'stream' is not supported with the model '{model.Name}'.", "stream", ErrorCodes.UnsupportedParameter);
        RejectUnsupported(fields, "partial_images", model, model.SupportsStreaming);
        int partials = IntInRange(fields, "partial_images", 0, 3) ?? 0;
        return (stream, stream ? partials : 0);
    }

    public static string? InputFidelity(RequestFields fields, ModelRule model)
    {
        RejectUnsupported(fields, "input_fidelity", model, model.SupportsInputFidelity);
        return Enum(fields, "input_fidelity", InputFidelities);
    }

    public static string Join(IEnumerable<string> values)
    {
        var quoted = values.Select(v => $"'{v}'").ToList();
        return quoted.Count switch
        {
            0 => "",
            1 => quoted[0],
            2 => $"{quoted[0]} and {quoted[1]}",
            _ => string.Join(", ", quoted.Take(quoted.Count - 1)) + ", and " + quoted[^1],
        };
    }

    public static string Megabytes(long bytes) => (bytes / (1024 * 1024)).ToString(CultureInfo.InvariantCulture) + " MB";
}
