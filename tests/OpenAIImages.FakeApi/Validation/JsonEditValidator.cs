using System.Text.Json;
using OpenAIImages.FakeApi.Http;
using OpenAIImages.FakeApi.Models;
using OpenAIImages.FakeApi.Recording;

namespace OpenAIImages.FakeApi.Validation;

/// <summary>POST /images/edits as application/json (EditImageBodyJsonParam): images by URL, data URL or file id.</summary>
internal static class JsonEditValidator
{
    public const int MaxImageUrlLength = 20971520;

    private static readonly IReadOnlySet<string> Allowed = new HashSet<string>
    {
        "model", "images", "mask", "prompt", "n", "quality", "input_fidelity", "size", "user",
        "output_format", "output_compression", "moderation", "background", "stream", "partial_images",
    };

    private static readonly string[] QualityEnum = { "low", "medium", "high", "auto" };
    private static readonly string[] SizeEnum = { "auto", "1024x1024", "1536x1024", "1024x1536" };

    public static ImageJob Validate(RequestFields fields, string? defaultModel)
    {
        fields.RejectUnknown(Allowed);
        string modelName = fields.String("model") ?? defaultModel ?? ModelTable.DefaultEditModel;
        var model = CommonRules.Model(modelName, ApiOperation.Edits);
        if (!model.IsGptImage)
            throw CommonRules.Invalid($"Invalid value: '{modelName}'. JSON edits support the GPT image models only; send '{modelName}' edits as multipart/form-data.", "model", ErrorCodes.InvalidValue);

        var images = Images(fields, model);
        string prompt = CommonRules.Prompt(fields, model);
        int n = CommonRules.N(fields, model);
        var (width, height) = CommonRules.Size(fields, model, SizeEnum);
        string quality = CommonRules.Quality(fields, model, QualityEnum);
        var (format, background) = CommonRules.OutputOptions(fields, model, hasModeration: true);
        var (stream, partials) = CommonRules.Streaming(fields, model);
        string? fidelity = CommonRules.InputFidelity(fields, model);
        fields.String("user");
        InputImage? mask = fields.Raw("mask") is { } maskRef ? Reference(maskRef, "mask", model, images[0]) : null;

        return new ImageJob
        {
            Operation = ApiOperation.Edits,
            Model = model,
            ModelName = modelName,
            Prompt = prompt,
            N = n,
            Width = width,
            Height = height,
            Quality = quality,
            ReturnUrl = false,
            OutputFormat = format,
            Background = background,
            Stream = stream,
            PartialImages = partials,
            InputFidelity = fidelity,
            Images = images,
            Mask = mask,
        };
    }

    private static List<InputImage> Images(RequestFields fields, ModelRule model)
    {
        if (fields.Raw("images") is not { } array)
            throw CommonRules.Invalid("Missing required parameter: 'images'.", "images", ErrorCodes.MissingRequiredParameter);
        if (array.ValueKind != JsonValueKind.Array)
            throw CommonRules.Invalid($"Invalid type for 'images': expected an array, but got {RequestFields.Describe(array.ValueKind)} instead.", "images", ErrorCodes.InvalidType);
        int count = array.GetArrayLength();
        if (count < 1)
            throw CommonRules.Invalid("Invalid 'images': empty array. Expected an array with minimum length 1, but got an empty array instead.", "images", ErrorCodes.ArrayBelowMinLength);
        int max = Math.Min(EditValidator.MaxImages, model.MaxEditImages);
        if (count > max)
            throw CommonRules.Invalid($"Invalid 'images': array too long. Expected an array with maximum length {max}, but got an array with length {count} instead.", "images", ErrorCodes.ArrayAboveMaxLength);
        var images = new List<InputImage>();
        int index = 0;
        foreach (var item in array.EnumerateArray())
            images.Add(Reference(item, $"images[{index++}]", model, null));
        return images;
    }

    /// <summary>
    /// An ImageRefParam: exactly one of <c>image_url</c> or <c>file_id</c>, nothing else. Data URLs are decoded and
    /// checked like uploads; http(s) URLs and file ids are recorded as references the fake does not fetch.
    /// </summary>
    private static InputImage Reference(JsonElement item, string path, ModelRule model, InputImage? firstImage)
    {
        if (item.ValueKind != JsonValueKind.Object)
            throw CommonRules.Invalid($"Invalid type for '{path}': expected an object, but got {RequestFields.Describe(item.ValueKind)} instead.", path, ErrorCodes.InvalidType);
        string? url = null, fileId = null;
        foreach (var property in item.EnumerateObject())
        {
            string name = $"{path}.{property.Name}";
            if (property.Name is not ("image_url" or "file_id"))
                throw CommonRules.Invalid($"Unknown parameter: '{name}'.", name, ErrorCodes.UnknownParameter);
            if (property.Value.ValueKind != JsonValueKind.String)
                throw CommonRules.Invalid($"Invalid type for '{name}': expected a string, but got {RequestFields.Describe(property.Value.ValueKind)} instead.", name, ErrorCodes.InvalidType);
            if (property.Name == "image_url") url = property.Value.GetString(); else fileId = property.Value.GetString();
        }
        if ((url is null) == (fileId is null))
            throw CommonRules.Invalid($"Invalid '{path}': provide exactly one of 'image_url' or 'file_id'.", path, ErrorCodes.InvalidValue);
        if (fileId is not null)
        {
            if (fileId.Length == 0)
                throw CommonRules.Invalid($"Invalid '{path}.file_id': empty string. Expected a string with minimum length 1, but got an empty string instead.", $"{path}.file_id", ErrorCodes.EmptyString);
            return new InputImage(path, null, null, fileId);
        }

        string urlPath = $"{path}.image_url";
        if (url!.Length > MaxImageUrlLength)
            throw CommonRules.Invalid($"Invalid '{urlPath}': string too long. Expected a string with maximum length {MaxImageUrlLength}, but got a string with length {url.Length} instead.", urlPath, ErrorCodes.StringAboveMaxLength);
        if (url.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
        {
            var (mediaType, data) = DataUrl(url, urlPath);
            bool isMask = path == "mask";
            var checkedImage = isMask
                ? InputImageRules.Mask(path, mediaType, data, firstImage)
                : InputImageRules.Image(path, mediaType, data, model);
            return checkedImage with { Reference = null };
        }
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            throw CommonRules.Invalid($"Invalid '{urlPath}': expected a fully qualified http(s) URL or a base64 data URL.", urlPath, ErrorCodes.InvalidValue);
        return new InputImage(path, null, null, url);
    }

    internal static (string MediaType, byte[] Data) DataUrl(string url, string param)
    {
        int comma = url.IndexOf(',');
        string header = comma > 5 ? url[5..comma] : "";
        const string Base64Suffix = ";base64";
        if (comma < 0 || !header.EndsWith(Base64Suffix, StringComparison.OrdinalIgnoreCase))
            throw CommonRules.Invalid($"Invalid '{param}': a data URL must look like 'data:image/png;base64,...'.", param, ErrorCodes.InvalidValue);
        string mediaType = header[..^Base64Suffix.Length];
        try
        {
            return (mediaType, Convert.FromBase64String(url[(comma + 1)..]));
        }
        catch (FormatException)
        {
            throw CommonRules.Invalid($"Invalid '{param}': the data URL's base64 payload could not be decoded.", param, ErrorCodes.InvalidValue);
        }
    }
}
