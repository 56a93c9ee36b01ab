using System;
using OpenAIImages.Engine.Http;
using OpenAIImages.Engine.Imaging;
using OpenAIImages.Engine.Models;
using OpenAIImages.Engine.Results;

namespace OpenAIImages.Engine.Requests
{
    /// <summary>
    /// A request that has passed every check, with what the checks resolved: the model's row, the parsed size, the
    /// wire spellings of its choices and the output tokens it will likely cost. Only
    /// <see cref="Validation.ImageRequestValidator"/> makes one, so a request is checked, parsed and normalised once:
    /// -WhatIf describes this object, the client sends it, and results read what was asked from it. The request it
    /// holds must not change afterwards.
    /// </summary>
    public abstract class PreparedRequest
    {
        private protected PreparedRequest(ImageRequestBase request, ModelInfo? model, ImageSize size, ImageOperation operation)
        {
            _request = request;
            Model = model;
            Size = size;
            Operation = operation;
            WireModel = ModelCatalog.WireName(request.Model);
            SizeText = request.Size == null ? null : size.ToString();
            ResponseFormat = Normalize(request.ResponseFormat);
            ImageCount = request.Count ?? 1;
            if (request is PromptedImageRequest prompted)
            {
                Prompt = prompted.Prompt;
                Quality = Normalize(prompted.Quality);
                Background = Normalize(prompted.Background);
                OutputFormat = Normalize(prompted.OutputFormat);
                Moderation = Normalize(prompted.Moderation);
                PartialImages = prompted.PartialImages ?? 0;
                Stream = prompted.Stream;
            }
            Style = Normalize((request as ImageGenerationRequest)?.Style);
            InputFidelity = Normalize((request as ImageEditRequest)?.InputFidelity);
            if (TokenEstimator.OutputTokensPerImage(model, size, Quality) is long perImage && operation != ImageOperation.Variation)
                OutputTokenEstimate = (perImage + TokenEstimator.TokensPerPartialImage * PartialImages) * ImageCount;
            if (request is ImageEditRequest edit && operation != ImageOperation.Variation)
            {
                foreach (var image in edit.Images)
                {
                    if (image.Info != null && TokenEstimator.InputTokensPerImage(model, image.Info.Width, image.Info.Height) is long input)
                        InputImageTokenEstimate = (InputImageTokenEstimate ?? 0) + input;
                }
            }
            IsPricedPerImage = model != null && !model.IsTokenPriced;
        }

        /// <summary>The model's row; null for a name the catalog does not know.</summary>
        public ModelInfo? Model { get; }

        /// <summary>The model name as sent: the catalog's spelling of a known model.</summary>
        public string WireModel { get; }

        /// <summary>The size, parsed; <see cref="ImageSize.Auto"/> when none was given.</summary>
        public ImageSize Size { get; }

        /// <summary>The size as sent, or null to leave it to the server.</summary>
        public string? SizeText { get; }

        public ImageOperation Operation { get; }
        public string? Prompt { get; }
        public int ImageCount { get; }
        public int PartialImages { get; }
        public bool Stream { get; }

        // The choices as the API spells them (trimmed, lower case); null when not given.
        public string? Quality { get; }
        public string? Style { get; }
        public string? Background { get; }
        public string? OutputFormat { get; }
        public string? Moderation { get; }
        public string? ResponseFormat { get; }
        public string? InputFidelity { get; }

        /// <summary>
        /// How the request travels, for -WhatIf: empty for the Images API, else " via MODEL (Responses API)", with the
        /// response it continues.
        /// </summary>
        public string RouteText => _request is PromptedImageRequest { ViaResponses: true } p
            ? $" via {p.ResponsesModel} (Responses API{(p.PreviousResponseId == null ? "" : ", continuing " + p.PreviousResponseId)})"
            : "";

        private readonly ImageRequestBase _request;

        /// <summary>The input image tokens the uploaded images of an edit will likely cost; null when none can be told.</summary>
        public long? InputImageTokenEstimate { get; }

        /// <summary>True for a model priced per image (DALL·E), not by tokens.</summary>
        public bool IsPricedPerImage { get; }

        /// <summary>
        /// What -WhatIf and -Confirm say of the cost, with a leading space, e.g. " (about 1,056 output tokens, about 194
        /// input image tokens)", " (priced per image)", or empty when nothing can be told.
        /// </summary>
        public string CostText
        {
            get
            {
                if (IsPricedPerImage) return " (priced per image, not by tokens)";
                var parts = new System.Collections.Generic.List<string>();
                if (OutputTokenEstimate is long output) parts.Add(string.Format(System.Globalization.CultureInfo.InvariantCulture, "about {0:N0} output tokens", output));
                if (InputImageTokenEstimate is long input) parts.Add(string.Format(System.Globalization.CultureInfo.InvariantCulture, "about {0:N0} input image tokens", input));
                return parts.Count == 0 ? "" : " (" + string.Join(", ", parts) + ")";
            }
        }

        /// <summary>The output tokens the request will likely cost, partial images included; null when not token-priced.</summary>
        public long? OutputTokenEstimate { get; }

        /// <summary>
        /// A result image of this request: what the server reported (null where it said nothing), and for what it left
        /// out, what was asked for.
        /// The one place a <see cref="GeneratedImage"/> is made from an answer, streamed or not.
        /// </summary>
        internal GeneratedImage NewImage(int index, string? requestId, byte[]? bytes, Uri? url, string? revisedPrompt, string? quality, string? background,
            string? outputFormat, string? reportedSize, DateTimeOffset? created, ImageUsage? usage, int? partialImageIndex)
        {
            var image = new GeneratedImage
            {
                Url = url,
                Prompt = Prompt,
                RevisedPrompt = revisedPrompt,
                Model = WireModel,
                Operation = Operation,
                Quality = quality ?? Quality,
                Background = background ?? Background,
                Index = index,
                Created = created,
                Usage = usage,
                RequestId = requestId,
                IsPartial = partialImageIndex != null,
                PartialImageIndex = partialImageIndex,
            };
            image.OutputFormat = outputFormat ?? OutputFormat;
            if (bytes != null)
            {
                CheckReturnedImage(bytes, outputFormat, index, requestId);
                image.SetBytes(bytes);
            }
            if (image.Width == null)
            {
                // Bytes this client cannot measure, or a URL: trust the reported size, then the size asked for.
                var size = ImageSize.TryParse(reportedSize, out var reported) && !reported.IsAuto ? reported : Size;
                if (!size.IsAuto)
                {
                    image.Width = size.Width;
                    image.Height = size.Height;
                }
            }
            return image;
        }

        /// <summary>
        /// Base64 data that is not an image, not of the format the answer names, or cut short is a broken answer
        /// (OpenAIResponseInvalid), never an image to save under a .png name.
        /// </summary>
        private static void CheckReturnedImage(byte[] bytes, string? announced, int index, string? requestId)
        {
            var format = ImageInfo.SniffFormat(bytes);
            string? problem = null;
            if (format == ImageFormat.Unknown)
                problem = "is not an image: its first bytes are not those of a PNG, JPEG or WebP file";
            else if (announced != null && !string.Equals(format.ApiName(), Normalize(announced) == "jpg" ? "jpeg" : Normalize(announced), StringComparison.Ordinal))
                problem = $"is a {format.DisplayName()} file, but the answer says its format is {announced}";
            else
            {
                try
                {
                    ImageIntegrity.CheckEnd(bytes);
                }
                catch (ImageDecodeException e)
                {
                    problem = "is damaged: " + e.Message.TrimEnd('.');
                }
            }
            if (problem != null)
                throw new OpenAITransportException(OpenAITransportException.ResponseInvalid,
                    $"The server's answer is broken: image {index + 1} {problem}. Nothing was saved for it; try the request again.", requestId);
        }

        private static string? Normalize(string? value) => value?.Trim().ToLowerInvariant();
    }

    /// <summary>A prepared request of one kind: what the client's method for that endpoint takes.</summary>
    public sealed class PreparedRequest<TRequest> : PreparedRequest where TRequest : ImageRequestBase
    {
        internal PreparedRequest(TRequest request, ModelInfo? model, ImageSize size, ImageOperation operation)
            : base(request, model, size, operation)
        {
            Request = request;
        }

        public TRequest Request { get; }
    }
}
