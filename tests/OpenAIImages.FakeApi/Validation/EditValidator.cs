using OpenAIImages.FakeApi.Http;
using OpenAIImages.FakeApi.Models;
using OpenAIImages.FakeApi.Recording;

namespace OpenAIImages.FakeApi.Validation;

/// <summary>POST /images/edits as multipart/form-data (CreateImageEditRequest).</summary>
internal static class EditValidator
{
    public const string SingleImageField = "image";
    public const string ImageArrayField = "image[]";
    public const string MaskField = "mask";
    public const int MaxImages = 16;

    private static readonly IReadOnlySet<string> Allowed = new HashSet<string>
    {
        "prompt", "background", "model", "n", "size", "response_format", "output_format", "output_compression",
        "user", "input_fidelity", "stream", "partial_images", "quality",
        SingleImageField, ImageArrayField, MaskField,
    };

    private static readonly ISet<string> FileFields = new HashSet<string> { SingleImageField, ImageArrayField, MaskField };
    private static readonly string[] QualityEnum = { "standard", "low", "medium", "high", "auto" };

    public static ImageJob Validate(IReadOnlyList<MultipartPart> parts, string? defaultModel)
    {
        var fields = RequestFields.FromForm(parts, Allowed, FileFields);
        string modelName = fields.String("model") ?? defaultModel ?? ModelTable.DefaultEditModel;
        var model = CommonRules.Model(modelName, ApiOperation.Edits);

        var imageParts = ImageParts(parts, model);
        string prompt = CommonRules.Prompt(fields, model);
        int n = CommonRules.N(fields, model);
        var (width, height) = CommonRules.Size(fields, model);
        string quality = CommonRules.Quality(fields, model, QualityEnum);
        bool returnUrl = CommonRules.ReturnUrl(fields, model);
        var (format, background) = CommonRules.OutputOptions(fields, model, hasModeration: false);
        var (stream, partials) = CommonRules.Streaming(fields, model);
        string? fidelity = CommonRules.InputFidelity(fields, model);
        fields.String("user");

        var images = imageParts
            .Select(p => InputImageRules.Image(p.Name, FilePart(p, "image").ContentType, p.Data, model))
            .ToList();
        var maskParts = parts.Where(p => p.Name == MaskField).ToList();
        if (maskParts.Count > 1)
            throw CommonRules.Invalid("Duplicate parameter: 'mask'.", MaskField, ErrorCodes.DuplicateParameter);
        InputImage? mask = maskParts.Count == 1
            ? InputImageRules.Mask(MaskField, FilePart(maskParts[0], MaskField).ContentType, maskParts[0].Data, images[0])
            : null;
        InputImageRules.RequireAlphaWithoutMask(model, images[0], mask);

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
            ReturnUrl = returnUrl,
            OutputFormat = format,
            Background = background,
            Stream = stream,
            PartialImages = partials,
            InputFidelity = fidelity,
            Images = images,
            Mask = mask,
        };
    }

    /// <summary>
    /// One image may come as <c>image</c> or <c>image[]</c>; several must all be <c>image[]</c> parts, which keep
    /// their order (the first is the one a mask applies to).
    /// </summary>
    private static List<MultipartPart> ImageParts(IReadOnlyList<MultipartPart> parts, ModelRule model)
    {
        var images = parts.Where(p => p.Name is SingleImageField or ImageArrayField).ToList();
        if (images.Count == 0)
            throw CommonRules.Invalid("Missing required parameter: 'image'.", "image", ErrorCodes.MissingRequiredParameter);
        int singles = images.Count(p => p.Name == SingleImageField);
        if (singles > 0 && images.Count > 1)
            throw CommonRules.Invalid("Invalid 'image': several images must all be sent as 'image[]' parts; 'image' may carry only a single image.", "image", ErrorCodes.InvalidValue);
        if (images.Count > MaxImages)
            throw CommonRules.Invalid($"Invalid 'image': array too long. Expected an array with maximum length {MaxImages}, but got an array with length {images.Count} instead.", "image", ErrorCodes.ArrayAboveMaxLength);
        if (images.Count > model.MaxEditImages)
            throw CommonRules.Invalid($"Invalid 'image': '{model.Name}' takes at most {model.MaxEditImages} image(s), but got {images.Count}.", "image", ErrorCodes.ArrayAboveMaxLength);
        return images;
    }

    private static MultipartPart FilePart(MultipartPart part, string field)
    {
        if (!part.IsFile)
            throw CommonRules.Invalid($"Invalid type for '{field}': expected a file, but got a string instead.", field, ErrorCodes.InvalidType);
        return part;
    }
}
