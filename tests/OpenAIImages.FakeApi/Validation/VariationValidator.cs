using OpenAIImages.FakeApi.Http;
using OpenAIImages.FakeApi.Recording;

namespace OpenAIImages.FakeApi.Validation;

/// <summary>POST /images/variations (CreateImageVariationRequest, multipart; dall-e-2 only).</summary>
internal static class VariationValidator
{
    private static readonly IReadOnlySet<string> Allowed = new HashSet<string> { "image", "model", "n", "response_format", "size", "user" };
    private static readonly ISet<string> FileFields = new HashSet<string> { "image" };
    private static readonly string[] SizeEnum = { "256x256", "512x512", "1024x1024" };

    public static ImageJob Validate(IReadOnlyList<MultipartPart> parts)
    {
        var fields = RequestFields.FromForm(parts, Allowed, FileFields);
        string modelName = fields.String("model") ?? "dall-e-2";
        var model = CommonRules.Model(modelName, ApiOperation.Variations);

        var imageParts = parts.Where(p => p.Name == "image").ToList();
        if (imageParts.Count == 0)
            throw CommonRules.Invalid("Missing required parameter: 'image'.", "image", ErrorCodes.MissingRequiredParameter);
        if (imageParts.Count > 1)
            throw CommonRules.Invalid("Duplicate parameter: 'image'. Variations take exactly one image.", "image", ErrorCodes.DuplicateParameter);
        if (!imageParts[0].IsFile)
            throw CommonRules.Invalid("Invalid type for 'image': expected a file, but got a string instead.", "image", ErrorCodes.InvalidType);

        int n = CommonRules.N(fields, model);
        var (width, height) = CommonRules.Size(fields, model, SizeEnum);
        bool returnUrl = CommonRules.ReturnUrl(fields, model);
        fields.String("user");
        var image = InputImageRules.Image("image", imageParts[0].ContentType, imageParts[0].Data, model);

        return new ImageJob
        {
            Operation = ApiOperation.Variations,
            Model = model,
            ModelName = modelName,
            Prompt = "",
            N = n,
            Width = width,
            Height = height,
            Quality = "standard",
            ReturnUrl = returnUrl,
            OutputFormat = Engine.Imaging.ImageFormat.Png,
            Background = "opaque",
            Stream = false,
            PartialImages = 0,
            Images = new[] { image },
        };
    }
}
