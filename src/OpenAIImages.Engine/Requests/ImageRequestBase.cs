namespace OpenAIImages.Engine.Requests
{
    /// <summary>What every Images API request has. Null means "not sent": the server's default applies.</summary>
    public abstract class ImageRequestBase
    {
        /// <summary>The model name; always sent. A name the catalog does not know is let through.</summary>
        public string Model { get; set; } = Models.ModelCatalog.DefaultModel;

        /// <summary>n: how many images to make (1 to 10; dall-e-3 makes one).</summary>
        public int? Count { get; set; }

        /// <summary><c>auto</c> or WIDTHxHEIGHT.</summary>
        public string? Size { get; set; }

        /// <summary><c>url</c> or <c>b64_json</c>, for DALL·E models only.</summary>
        public string? ResponseFormat { get; set; }

        public string? User { get; set; }

        /// <summary>
        /// The format the name of the file to save names (png, jpeg or webp, from -OutFile's extension), or null. Not
        /// sent: it sets the output format when none is given, and must agree with one that is.
        /// </summary>
        public string? FileFormat { get; set; }
    }

    /// <summary>The fields generations and edits share.</summary>
    public abstract class PromptedImageRequest : ImageRequestBase
    {
        public string Prompt { get; set; } = "";
        public string? Quality { get; set; }
        public string? Background { get; set; }
        public string? OutputFormat { get; set; }
        public int? OutputCompression { get; set; }
        public string? Moderation { get; set; }

        /// <summary>Ask for server-sent events with partial images.</summary>
        public bool Stream { get; set; }

        /// <summary>partial_images, 0 to 3, with <see cref="Stream"/>.</summary>
        public int? PartialImages { get; set; }

        /// <summary>
        /// The mainline model (gpt-5.5, gpt-4.1, an o-series model) that calls the image_generation tool through the
        /// Responses API; null for the Images API. <see cref="ImageRequestBase.Model"/> stays the image model.
        /// </summary>
        public string? ResponsesModel { get; set; }

        /// <summary>The response to continue (previous_response_id); Responses API only.</summary>
        public string? PreviousResponseId { get; set; }

        /// <summary>False asks the Responses API not to store the response, so it cannot be continued.</summary>
        public bool Store { get; set; } = true;

        /// <summary>True when the request goes through the Responses API.</summary>
        public bool ViaResponses => ResponsesModel != null || PreviousResponseId != null;
    }
}
