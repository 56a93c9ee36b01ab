using System.Collections.Generic;

namespace OpenAIImages.Engine.Requests
{
    /// <summary>
    /// POST /v1/images/edits. Either uploaded <see cref="Images"/> (multipart) or <see cref="References"/> the server
    /// fetches (JSON), never both.
    /// </summary>
    public sealed class ImageEditRequest : PromptedImageRequest
    {
        /// <summary>Images to upload; the mask applies to the first.</summary>
        public List<ImageInput> Images { get; } = new List<ImageInput>();

        /// <summary>A PNG whose fully transparent pixels mark where the first image is edited.</summary>
        public ImageInput? Mask { get; set; }

        /// <summary>Images by URL or file id, sent as JSON.</summary>
        public List<ImageReference> References { get; } = new List<ImageReference>();

        /// <summary>The mask by URL or file id, with <see cref="References"/>.</summary>
        public ImageReference? MaskReference { get; set; }

        /// <summary><c>high</c> or <c>low</c>: how closely to keep the input's features (not on gpt-image-1-mini).</summary>
        public string? InputFidelity { get; set; }

        public bool IsJson => References.Count > 0;
    }

    /// <summary>POST /v1/images/variations: variations of one square PNG (dall-e-2).</summary>
    public sealed class ImageVariationRequest : ImageRequestBase
    {
        public ImageVariationRequest(ImageInput image)
        {
            Image = image;
            Model = Models.ModelCatalog.DefaultVariationModel;
        }

        public ImageInput Image { get; }
    }
}
