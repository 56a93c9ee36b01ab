using OpenAIImages.Engine.Imaging;
using OpenAIImages.FakeApi.Http;
using OpenAIImages.FakeApi.Models;

namespace OpenAIImages.FakeApi.Validation;

/// <summary>
/// Checks on uploaded images and masks. The format is always sniffed from the bytes (ImageInfo), and the
/// declared MIME type must be an accepted one and agree with them, so a client that labels a JPEG as PNG, or
/// sends application/octet-stream, is caught here rather than by the real service.
/// </summary>
internal static class InputImageRules
{
    public static InputImage Image(string field, string? declaredType, byte[] data, ModelRule model)
    {
        CheckMediaType("image", declaredType, model.InputMediaTypes);
        if (data.LongLength >= model.MaxInputImageBytes)
            throw CommonRules.Invalid($"Invalid file 'image': each image must be less than {CommonRules.Megabytes(model.MaxInputImageBytes)} for '{model.Name}'.", "image", ErrorCodes.ImageTooLarge);
        var info = Sniff("image", declaredType, data);
        if (model.InputMustBeSquarePng)
        {
            if (info.Format != ImageFormat.Png)
                throw CommonRules.Invalid($"Invalid file 'image': '{model.Name}' needs a PNG image.", "image", ErrorCodes.InvalidImageFormat);
            if (info.Width != info.Height)
                throw CommonRules.Invalid($"Invalid file 'image': '{model.Name}' needs a square image, but got {info.Width}x{info.Height}.", "image", ErrorCodes.ImageNotSquare);
        }
        return new InputImage(field, data, info, null) { Pixels = DecodePng("image", info, data) };
    }

    /// <summary>A mask is a PNG with an alpha channel, under 4 MB, the size of the first image.</summary>
    public static InputImage Mask(string field, string? declaredType, byte[] data, InputImage? firstImage)
    {
        CheckMediaType("mask", declaredType, new[] { "image/png" });
        if (data.LongLength >= ModelTable.FourMegabytes)
            throw CommonRules.Invalid("Invalid file 'mask': the mask must be less than 4 MB.", "mask", ErrorCodes.ImageTooLarge);
        var info = Sniff("mask", declaredType, data);
        if (info.Format != ImageFormat.Png)
            throw CommonRules.Invalid("Invalid file 'mask': the mask must be a PNG image.", "mask", ErrorCodes.InvalidImageFormat);
        if (!info.HasAlpha)
            throw CommonRules.Invalid("Invalid file 'mask': the mask must have an alpha channel; its fully transparent pixels mark the area to edit.", "mask", ErrorCodes.ImageMissingAlpha);
        if (firstImage?.Info is { } first && (first.Width != info.Width || first.Height != info.Height))
            throw CommonRules.Invalid($"Invalid file 'mask': the mask is {info.Width}x{info.Height} but the first image is {first.Width}x{first.Height}; they must match.", "mask", ErrorCodes.MaskSizeMismatch);
        return new InputImage(field, data, info, null) { Pixels = DecodePng("mask", info, data) };
    }

    /// <summary>Without a mask, DALL·E 2 edits the transparent area of the image itself, so the image needs alpha.</summary>
    public static void RequireAlphaWithoutMask(ModelRule model, InputImage first, InputImage? mask)
    {
        if (model.InputMustBeSquarePng && mask is null && first.Info is { HasAlpha: false })
            throw CommonRules.Invalid($"Invalid file 'image': without a mask, '{model.Name}' needs an image with transparency (an alpha channel) marking the area to edit.", "image", ErrorCodes.ImageMissingAlpha);
    }

    /// <summary>
    /// PNG inputs are decoded in full: a file whose header looks right but whose data is broken is refused here,
    /// as the real service would, and the pixels are kept for painting the edit.
    /// </summary>
    private static RgbaImage? DecodePng(string field, ImageInfo info, byte[] data)
    {
        if (info.Format != ImageFormat.Png) return null;
        try
        {
            return PngDecoder.Decode(data);
        }
        catch (ImageDecodeException e)
        {
            throw CommonRules.Invalid($"Invalid file '{field}': the PNG could not be decoded ({e.Message}).", field, ErrorCodes.InvalidImageFormat);
        }
    }

    private static void CheckMediaType(string field, string? declaredType, string[] accepted)
    {
        string mediaType = MediaTypeOf(declaredType);
        if (!accepted.Contains(mediaType))
            throw CommonRules.Invalid($"Invalid file '{field}': unsupported mimetype ('{mediaType}'). Supported file formats are {CommonRules.Join(accepted)}.",
                field, ErrorCodes.UnsupportedFileMimetype);
    }

    private static ImageInfo Sniff(string field, string? declaredType, byte[] data)
    {
        var info = ImageInfo.TryRead(data);
        if (info is null)
            throw CommonRules.Invalid($"Invalid file '{field}': the content is not a readable PNG, JPEG or WebP image.", field, ErrorCodes.InvalidImageFormat);
        string declared = MediaTypeOf(declaredType);
        if (declared != info.Format.MediaType())
            throw CommonRules.Invalid($"Invalid file '{field}': declared as '{declared}' but the content is {info.Format.MediaType()}.", field, ErrorCodes.InvalidImageFormat);
        return info;
    }

    /// <summary>The bare media type, lower case, without parameters; a missing type is what servers assume.</summary>
    public static string MediaTypeOf(string? contentType)
    {
        if (string.IsNullOrWhiteSpace(contentType)) return "application/octet-stream";
        int semicolon = contentType.IndexOf(';');
        return (semicolon >= 0 ? contentType[..semicolon] : contentType).Trim().ToLowerInvariant();
    }
}
