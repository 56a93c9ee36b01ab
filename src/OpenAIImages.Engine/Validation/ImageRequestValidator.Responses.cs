using OpenAIImages.Engine.Models;
using OpenAIImages.Engine.Requests;

namespace OpenAIImages.Engine.Validation
{
    /// <summary>
    /// The rules of the Responses API path, where a mainline model calls the image_generation tool: -Model is still
    /// the image model and keeps its own rules from the model table; what the tool cannot take is refused here,
    /// before anything is sent, with what to do instead.
    /// </summary>
    public static partial class ImageRequestValidator
    {
        private static void CheckResponses(PromptedImageRequest request, ModelInfo? model)
        {
            if (!request.ViaResponses) return;
            if (request.ResponsesModel == null)
                throw new ImageRequestException(ErrorIds.ResponsesModelMissing,
                    "Continuing a response goes through the Responses API, which needs a mainline model: add -ResponsesModel (for example gpt-5.5), or set OPENAI_RESPONSES_MODEL.", "model");
            if (string.IsNullOrWhiteSpace(request.ResponsesModel))
                throw new ImageRequestException(ErrorIds.ResponsesModelMissing,
                    "-ResponsesModel is empty. Name the mainline model that calls the image tool, for example gpt-5.5, or leave -ResponsesModel out to use the Images API.", "model");
            if (ModelCatalog.Find(request.ResponsesModel!) is ModelInfo image)
                throw new ImageRequestException(ErrorIds.ResponsesModelIsImageModel,
                    $"-ResponsesModel names the image model {image.Name}. It takes the mainline model that calls the image tool (for example gpt-5.5); the image model goes in -Model.", "model");
            if (model != null && model.Family != ModelFamily.GptImage)
                throw new ImageRequestException(ErrorIds.ModelNotSupportedByResponses,
                    $"The Responses API's image tool uses GPT image models, and {model.Name} is not one. Use -Model {ModelCatalog.DefaultModel}, or leave out -ResponsesModel to use the Images API.", "model");
            if (request.Count is int count && count != 1)
                throw NotByResponses("-Count", $"The image tool makes one image per request, and -Count {count} asks for more. Send the prompt {count} times, or leave out -ResponsesModel to use the Images API.");
            if (request.ResponseFormat != null)
                throw NotByResponses("-ResponseFormat", "The image tool always returns the image itself (base64); remove -ResponseFormat.");
            if (request is ImageGenerationRequest generation && generation.Style != null)
                throw NotByResponses("-Style", "-Style is for dall-e-3 on the Images API, which the image tool does not use; remove -Style and say the style in the prompt.");
            if (string.IsNullOrWhiteSpace(request.PreviousResponseId) && request.PreviousResponseId != null)
                throw new ImageRequestException(ErrorIds.ImageReferenceInvalid, "-PreviousResponseId is empty. Give the id of a response (resp_...), such as an earlier result's ResponseId.", "previous_response_id");
        }

        private static ImageRequestException NotByResponses(string parameter, string message) =>
            new ImageRequestException(ErrorIds.ParameterNotSupportedByResponses, $"{parameter} cannot go through the Responses API. {message}", parameter.TrimStart('-').ToLowerInvariant());

        /// <summary>An edit through the Responses API: uploads and references may mix, and a continuation needs no image.</summary>
        private static void CheckResponsesInputs(ImageEditRequest request, ModelInfo? model)
        {
            int count = request.Images.Count + request.References.Count;
            if (count == 0 && request.PreviousResponseId == null)
                throw new ImageRequestException(ErrorIds.ImageMissing, "No image to edit was given. Pass -Path or pipe images in, or continue an earlier response with -PreviousResponseId.", "image");
            if (count > GenericMaxInputImages)
                throw new ImageRequestException(ErrorIds.TooManyImages, $"One edit takes at most {GenericMaxInputImages} images, and {count} were given. Send fewer images.", "image");
            foreach (var image in request.Images) CheckImage(image, model, squarePng: false, needsAlpha: false);
            foreach (var reference in request.References) CheckReference(reference, "images");
            if (request.Mask != null)
            {
                CheckMask(request.Mask, request.Images.Count > 0 ? request.Images[0] : null, model?.MaxMaskBytes ?? GenericMaxMaskBytes);
            }
            if (request.MaskReference != null) CheckReference(request.MaskReference, "mask");
        }
    }
}
