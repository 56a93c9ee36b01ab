using System;
using System.Linq;
using OpenAIImages.Engine.Imaging;
using OpenAIImages.Engine.Models;
using OpenAIImages.Engine.Requests;

namespace OpenAIImages.Engine.Validation
{
    public static partial class ImageRequestValidator
    {
        private const int GenericMaxInputImages = 16;
        private const long GenericMaxInputBytes = 50L * 1024 * 1024;
        private const long GenericMaxMaskBytes = 4L * 1024 * 1024;

        // CreateImageVariationRequest's own rules, whatever the model is called: a PNG under 4 MB, and a closed size enum.
        private const long VariationMaxInputBytes = 4L * 1024 * 1024;
        private static readonly string[] VariationSizes = { "256x256", "512x512", "1024x1024" };

        // EditImageBodyJsonParam bounds its prompt, and ImageRefParam its image_url, for every model.
        private const int JsonEditMaxPromptLength = 32000;
        private const int MaxImageUrlLength = 20971520;

        // EditImageBodyJsonParam's size is a closed enum, unlike the multipart body's: no free sizes, whatever the model.
        private static readonly string[] JsonEditSizes = { "auto", "1024x1024", "1536x1024", "1024x1536" };

        /// <summary>Checks an edit (the model, the prompt, every input image and the mask, the output options) and prepares it for sending.</summary>
        public static PreparedRequest<ImageEditRequest> Prepare(ImageEditRequest request)
        {
            var model = CheckModel(request, ImageEndpoints.Edits, "image edits");
            CheckPrompt(request, model);
            CheckResponses(request, model);
            if (request.ViaResponses) CheckResponsesInputs(request, model);
            else if (request.IsJson) CheckReferences(request, model);
            else CheckUploads(request, model);
            var size = CheckSize(request.Size, model);
            if (request.IsJson && !request.ViaResponses && request.Size != null && !JsonEditSizes.Contains(size.ToString(), StringComparer.OrdinalIgnoreCase))
                throw new ImageRequestException(ErrorIds.SizeNotSupported,
                    $"The size {size} cannot be asked for when the images are given by URL or file id: use one of {string.Join(", ", JsonEditSizes)}, or upload the images with -Path to use other sizes.", "size");
            CheckCount(request.Count, model);
            CheckChoice(request.Quality, model?.Qualities, "Quality", "quality", model);
            CheckChoice(request.ResponseFormat, model?.EditResponseFormats, "ResponseFormat", "response_format", model, new[] { "url", "b64_json" });
            if (request.IsJson && request.ResponseFormat != null)
                throw new ImageRequestException(ErrorIds.ParameterNotSupportedForInput,
                    "-ResponseFormat cannot be sent with images by URL or file id: JSON edits always return base64 images. Remove -ResponseFormat.", "response_format");
            CheckChoice(request.InputFidelity, model == null ? null : model.SupportsInputFidelity ? new[] { "high", "low" } : Array.Empty<string>(), "InputFidelity", "input_fidelity", model, new[] { "high", "low" });
            CheckOutputOptions(request, model);
            CheckStreaming(request, model);
            return new PreparedRequest<ImageEditRequest>(request, model, size, Results.ImageOperation.Edit);
        }

        /// <summary>Checks a variation request (one square PNG under 4 MB for dall-e-2) and prepares it for sending.</summary>
        public static PreparedRequest<ImageVariationRequest> Prepare(ImageVariationRequest request)
        {
            var model = CheckModel(request, ImageEndpoints.Variations, "image variations");
            CheckImage(request.Image, model, squarePng: model == null || model.InputMustBeSquarePng, needsAlpha: false,
                maxBytes: model?.MaxInputImageBytes > 0 ? model.MaxInputImageBytes : VariationMaxInputBytes);
            var size = CheckSize(request.Size, model);
            if (request.Size != null && !VariationSizes.Contains(size.ToString(), StringComparer.OrdinalIgnoreCase))
                throw new ImageRequestException(ErrorIds.SizeNotSupported, $"The size {size} does not suit image variations: use one of {string.Join(", ", VariationSizes)}.", "size");
            CheckCount(request.Count, model);
            CheckChoice(request.ResponseFormat, model?.ResponseFormats, "ResponseFormat", "response_format", model, new[] { "url", "b64_json" });
            // Variations are PNG (the only format dall-e-2 makes); a server's own model may differ.
            if (request.FileFormat != null && model != null) CheckFileFormat(request.FileFormat, "png", model.Name + " makes PNG images only");
            return new PreparedRequest<ImageVariationRequest>(request, model, size, Results.ImageOperation.Variation);
        }

        private static void CheckUploads(ImageEditRequest request, ModelInfo? model)
        {
            if (request.Images.Count == 0)
                throw new ImageRequestException(ErrorIds.ImageMissing, "No image to edit was given. Pass -Path, -LiteralPath or -InputObject, or pipe images in.", "image");
            int max = model?.MaxInputImages ?? GenericMaxInputImages;
            if (request.Images.Count > max)
                throw new ImageRequestException(ErrorIds.TooManyImages, max == 1
                    ? $"{model!.Name} edits one image per request, and {request.Images.Count} were given. Leave out -Combine, or use a GPT image model for reference images."
                    : $"One edit request takes at most {max} images, and {request.Images.Count} were given. Send fewer images.", "image");
            // CreateImageEditRequest, the multipart body, has no moderation field (only the JSON body and generations do).
            if (request.Moderation != null)
                throw new ImageRequestException(ErrorIds.ParameterNotSupportedForInput,
                    "-Moderation cannot be sent with uploaded images: the API takes it for generations and for edits of images by URL or file id (-ImageUrl, -FileId) only. Remove -Moderation.", "moderation");
            bool squarePng = model?.InputMustBeSquarePng ?? false;
            // dall-e-2 edits only transparent areas, so without a mask the image itself must have some.
            foreach (var image in request.Images) CheckImage(image, model, squarePng, needsAlpha: squarePng && request.Mask == null);
            if (request.Mask != null) CheckMask(request.Mask, request.Images[0], model?.MaxMaskBytes ?? GenericMaxMaskBytes);
            if (request.MaskReference != null)
                throw new ImageRequestException(ErrorIds.ImageReferencesAndUploadsMixed, "A mask given by URL or file id needs the images by URL or file id too (-ImageUrl or -FileId).", "mask");
        }

        private static void CheckImage(ImageInput image, ModelInfo? model, bool squarePng, bool needsAlpha, long? maxBytes = null)
        {
            if (image.Info == null)
            {
                // A PNG, JPEG or WebP cut short inside its header is damaged, not of another format.
                CheckIntact(image, "image");
                throw new ImageRequestException(ErrorIds.ImageFormatUnsupported,
                    $"'{image.Source}' is not a PNG, JPEG or WebP image (its first bytes say so, whatever its name). Save it in one of those formats.", "image");
            }
            if (squarePng && image.Format != ImageFormat.Png)
                throw new ImageRequestException(ErrorIds.ImageFormatUnsupported,
                    $"'{image.Source}' is {image.Format}; {model?.Name ?? "this model"} takes PNG only. Save it as PNG, or use a GPT image model.", "image");
            long max = maxBytes ?? (model?.MaxInputImageBytes > 0 ? model.MaxInputImageBytes : GenericMaxInputBytes);
            if (image.Data.Length >= max)
                throw new ImageRequestException(ErrorIds.ImageTooLarge,
                    $"'{image.Source}' is {image.Data.Length / 1048576.0:0.0} MB; {model?.Name ?? "the API"} takes images under {max / 1048576} MB. Make it smaller.", "image");
            CheckIntact(image, "image");
            if (squarePng && image.Info.Width != image.Info.Height)
                throw new ImageRequestException(ErrorIds.ImageNotSquare,
                    $"'{image.Source}' is {image.Info.Width}x{image.Info.Height}; {model?.Name ?? "this model"} takes square images only. Crop it to a square.", "image");
            if (needsAlpha && !image.Info.HasAlpha)
                throw new ImageRequestException(ErrorIds.ImageHasNoAlpha,
                    $"'{image.Source}' has no transparent areas, and without -Mask {model?.Name ?? "this model"} edits only transparent areas. Add -Mask, or give an image with transparency.", "image");
        }

        private static void CheckMask(ImageInput mask, ImageInput? first, long maxMaskBytes)
        {
            if (mask.Info == null) CheckIntact(mask, "mask");
            if (mask.Format != ImageFormat.Png)
                throw new ImageRequestException(ErrorIds.MaskFormatUnsupported,
                    $"The mask '{mask.Source}' is {(mask.Info == null ? "not an image" : mask.Format.ToString())}; masks must be PNG with an alpha channel. Make one with ConvertTo-AlphaMask.", "mask");
            if (mask.Data.Length >= maxMaskBytes)
                throw new ImageRequestException(ErrorIds.MaskTooLarge,
                    $"The mask '{mask.Source}' is {mask.Data.Length / 1048576.0:0.0} MB; masks must be under {maxMaskBytes / 1048576} MB.", "mask");
            CheckIntact(mask, "mask");
            if (!mask.Info!.HasAlpha)
                throw new ImageRequestException(ErrorIds.MaskHasNoAlpha,
                    $"The mask '{mask.Source}' has no alpha channel, so it marks nothing to edit. Convert a black-and-white mask with ConvertTo-AlphaMask.", "mask");
            if (first?.Info != null && (mask.Info.Width != first.Info.Width || mask.Info.Height != first.Info.Height))
                throw new ImageRequestException(ErrorIds.MaskSizeMismatch,
                    $"The mask '{mask.Source}' is {mask.Info.Width}x{mask.Info.Height}, but the image it applies to, '{first.Source}', is {first.Info.Width}x{first.Info.Height}. Resize the mask (ConvertTo-AlphaMask -MatchSize).", "mask");
        }

        /// <summary>
        /// Refuses an image whose structure is damaged (a cut or corrupt PNG, JPEG or WebP): the server would answer
        /// invalid_image_format, after the upload. See <see cref="ImageIntegrity"/>.
        /// </summary>
        private static void CheckIntact(ImageInput image, string role)
        {
            if (image.IsIntact) return;
            try
            {
                ImageIntegrity.Check(image.Data);
            }
            catch (ImageDecodeException e)
            {
                throw new ImageRequestException(ErrorIds.ImageCorrupt,
                    $"{(role == "mask" ? "The mask" : "The image")} '{image.Source}' is damaged, so it was not sent: {e.Message} Save it again from the program that made it.", role);
            }
            image.IsIntact = true;
        }

        private static void CheckReferences(ImageEditRequest request, ModelInfo? model)
        {
            if (request.Images.Count > 0 || request.Mask != null)
                throw new ImageRequestException(ErrorIds.ImageReferencesAndUploadsMixed,
                    "Images by URL or file id (-ImageUrl, -FileId) cannot be mixed with uploaded images or an uploaded mask in one request.", "images");
            if (model != null && model.Family != ModelFamily.GptImage)
                throw new ImageRequestException(ErrorIds.ParameterNotSupportedByModel,
                    $"{model.Name} cannot take images by URL or file id; only GPT image models can. Upload the image with -Path instead, or use -Model {ModelCatalog.DefaultModel}.", "images");
            if (request.References.Count > GenericMaxInputImages)
                throw new ImageRequestException(ErrorIds.TooManyImages,
                    $"One edit request takes at most {GenericMaxInputImages} images, and {request.References.Count} were given.", "images");
            foreach (var reference in request.References) CheckReference(reference, "images");
            if (request.MaskReference != null) CheckReference(request.MaskReference, "mask");
            int promptLength = CharacterCount(request.Prompt);
            if (model == null && promptLength > JsonEditMaxPromptLength)
                throw new ImageRequestException(ErrorIds.PromptTooLong,
                    $"The prompt has {promptLength:N0} characters; an edit of images by URL or file id takes at most {JsonEditMaxPromptLength:N0}. Shorten it by {promptLength - JsonEditMaxPromptLength:N0} characters.", "prompt");
        }

        private static void CheckReference(ImageReference reference, string parameter)
        {
            if (reference.FileId != null)
            {
                if (string.IsNullOrWhiteSpace(reference.FileId))
                    throw new ImageRequestException(ErrorIds.ImageReferenceInvalid, "A file id is empty. File ids look like file-abc123.", parameter);
                return;
            }
            string url = reference.ImageUrl ?? "";
            if (url.Length > MaxImageUrlLength)
                throw new ImageRequestException(ErrorIds.ImageReferenceInvalid,
                    $"An image URL has {url.Length:N0} characters; the API takes at most {MaxImageUrlLength:N0} (a data URL of an image of about 15 MB). Upload the image with -Path instead, or make it smaller.", parameter);
            bool dataUrl = url.StartsWith("data:image/", StringComparison.OrdinalIgnoreCase) && url.IndexOf(";base64,", StringComparison.OrdinalIgnoreCase) > 0;
            bool webUrl = Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);
            if (!dataUrl && !webUrl)
                throw new ImageRequestException(ErrorIds.ImageReferenceInvalid,
                    $"'{(url.Length > 80 ? url.Substring(0, 80) + "..." : url)}' is not an http(s) URL or a data:image/...;base64, URL.", parameter);
        }
    }
}
