using System;
using System.Collections.Generic;
using System.Linq;
using OpenAIImages.Engine.Models;
using OpenAIImages.Engine.Requests;

namespace OpenAIImages.Engine.Validation
{
    /// <summary>
    /// Checks a request against the model table before anything is sent, so a mistake costs nothing and the
    /// message says what to change. Unknown models get only the checks that hold for every model.
    /// </summary>
    public static partial class ImageRequestValidator
    {
        private const int GenericMaxCount = 10;
        private static readonly string[] CompressibleFormats = { "jpeg", "webp" };
        private static readonly string[] AllOutputFormats = { "png", "jpeg", "webp" };

        /// <summary>Checks a generation request and prepares it for sending; throws <see cref="ImageRequestException"/> for what cannot succeed.</summary>
        public static PreparedRequest<ImageGenerationRequest> Prepare(ImageGenerationRequest request)
        {
            var model = CheckModel(request, ImageEndpoints.Generations, "image generation");
            CheckPrompt(request, model);
            CheckResponses(request, model);
            var size = CheckSize(request.Size, model);
            CheckCount(request.Count, model);
            CheckChoice(request.Quality, model?.Qualities, "Quality", "quality", model);
            CheckChoice(request.Style, model?.Styles, "Style", "style", model, genericValues: new[] { "vivid", "natural" });
            CheckChoice(request.ResponseFormat, model?.ResponseFormats, "ResponseFormat", "response_format", model, genericValues: new[] { "url", "b64_json" });
            CheckOutputOptions(request, model);
            CheckStreaming(request, model);
            return new PreparedRequest<ImageGenerationRequest>(request, model, size, Results.ImageOperation.Generation);
        }

        internal static ModelInfo? CheckModel(ImageRequestBase request, ImageEndpoints endpoint, string what)
        {
            if (string.IsNullOrWhiteSpace(request.Model))
                throw new ImageRequestException(ErrorIds.ModelNameEmpty, "The model name is empty. Give -Model a name such as " + ModelCatalog.DefaultModel + ".", "model");
            var model = ModelCatalog.Find(request.Model);
            if (model != null && !model.Supports(endpoint))
            {
                var able = ModelCatalog.Suggest(ModelCatalog.For(endpoint), DateTimeOffset.UtcNow);
                throw new ImageRequestException(ErrorIds.ModelEndpointNotSupported,
                    $"The model '{model.Name}' does not do {what}. Use -Model with one of: {able}.", "model");
            }
            return model;
        }

        internal static void CheckPrompt(PromptedImageRequest request, ModelInfo? model)
        {
            if (string.IsNullOrWhiteSpace(request.Prompt))
                throw new ImageRequestException(ErrorIds.PromptEmpty, "The prompt is empty. Describe the image you want in -Prompt.", "prompt");
            if (model == null) return;
            int length = CharacterCount(request.Prompt);
            if (length > model.MaxPromptLength)
                throw new ImageRequestException(ErrorIds.PromptTooLong,
                    $"The prompt has {length:N0} characters; {model.Name} takes at most {model.MaxPromptLength:N0}. Shorten it by {length - model.MaxPromptLength:N0} characters" +
                    (model.MaxPromptLength < 32000 ? ", or use a GPT image model (32,000 characters)." : "."), "prompt");
        }

        /// <summary>
        /// Characters as the API counts them: Unicode code points. string.Length counts UTF-16 units, in which an
        /// emoji or any character outside the Basic Multilingual Plane is two.
        /// </summary>
        internal static int CharacterCount(string text)
        {
            int count = text.Length;
            for (int i = 0; i + 1 < text.Length; i++)
            {
                if (char.IsHighSurrogate(text[i]) && char.IsLowSurrogate(text[i + 1]))
                {
                    count--;
                    i++;
                }
            }
            return count;
        }

        internal static ImageSize CheckSize(string? sizeText, ModelInfo? model)
        {
            // The one place a request's size is parsed: everything after reads it from the prepared request.
            if (sizeText == null) return ImageSize.Auto;
            if (!ImageSize.TryParse(sizeText, out var size))
                throw new ImageRequestException(ErrorIds.SizeInvalid,
                    $"The size '{sizeText}' is not WIDTHxHEIGHT or auto. Write it like 1024x1024.", "size");
            if (model != null && !model.AcceptsSize(size, out var reason))
                throw new ImageRequestException(ErrorIds.SizeNotSupported, $"The size {size} does not suit {model.Name}: {reason}", "size");
            return size;
        }

        internal static void CheckCount(int? count, ModelInfo? model)
        {
            if (count == null) return;
            int max = model?.MaxCount ?? GenericMaxCount;
            if (count < 1 || count > max)
            {
                string message = max == 1
                    ? $"{model!.Name} makes one image per request; -Count {count} is not possible. Leave -Count out, or send the prompt several times."
                    : $"-Count must be between 1 and {max}; {count} is not. For more images, send several requests.";
                throw new ImageRequestException(ErrorIds.CountOutOfRange, message, "n");
            }
        }

        /// <summary>
        /// A value from a fixed list. When the model's list is empty the model does not take the parameter at all;
        /// when the model is unknown, only values that no model takes are refused.
        /// </summary>
        internal static void CheckChoice(string? value, IReadOnlyList<string>? allowed, string parameter, string apiName, ModelInfo? model, IReadOnlyList<string>? genericValues = null)
        {
            if (value == null) return;
            if (model == null)
            {
                if (genericValues != null && !genericValues.Contains(value, StringComparer.OrdinalIgnoreCase))
                    throw new ImageRequestException(ErrorIds.ValueNotSupported,
                        $"-{parameter} '{value}' is not a value the API knows. Use one of: {string.Join(", ", genericValues)}.", apiName);
                return;
            }
            if (allowed == null || allowed.Count == 0)
            {
                var takers = ModelCatalog.All.Where(m => TakesParameter(m, apiName)).ToList();
                string who = takers.Count > 0 ? $" It is for {ModelCatalog.Suggest(takers.Take(3), DateTimeOffset.UtcNow)}{(takers.Count > 3 ? " and others" : "")}." : "";
                throw new ImageRequestException(ErrorIds.ParameterNotSupportedByModel,
                    $"{model.Name} does not take -{parameter}.{who} Remove -{parameter}, or choose another -Model.", apiName);
            }
            if (!allowed.Contains(value, StringComparer.OrdinalIgnoreCase))
                throw new ImageRequestException(ErrorIds.ValueNotSupported,
                    $"-{parameter} '{value}' does not suit {model.Name}. Use one of: {string.Join(", ", allowed)}.", apiName);
        }

        private static bool TakesParameter(ModelInfo m, string apiName) => apiName switch
        {
            "style" => m.Styles.Count > 0,
            "response_format" => m.ResponseFormats.Count > 0,
            "output_format" => m.OutputFormats.Count > 0,
            "output_compression" => m.SupportsOutputCompression,
            "background" => m.Backgrounds.Count > 0,
            "moderation" => m.Moderations.Count > 0,
            "quality" => m.Qualities.Count > 0,
            "input_fidelity" => m.SupportsInputFidelity,
            _ => false,
        };

        internal static void CheckOutputOptions(PromptedImageRequest request, ModelInfo? model)
        {
            if (request.FileFormat is string named)
            {
                // Models with one fixed format (DALL·E: PNG) take no output_format, so the name must be a PNG's.
                bool settable = model == null || model.OutputFormats.Count > 0;
                if (request.OutputFormat == null && settable) request.OutputFormat = named;
                else CheckFileFormat(named, request.OutputFormat ?? "png", request.OutputFormat != null ? "-OutputFormat is " + request.OutputFormat : model!.Name + " makes PNG images only");
            }
            CheckChoice(request.OutputFormat, model?.OutputFormats, "OutputFormat", "output_format", model, AllOutputFormats);
            CheckChoice(request.Background, model?.Backgrounds, "Background", "background", model, new[] { "transparent", "opaque", "auto" });
            CheckChoice(request.Moderation, model?.Moderations, "Moderation", "moderation", model, new[] { "low", "auto" });

            // The API's default output format is png.
            string format = request.OutputFormat ?? "png";
            if (request.OutputCompression is int compression)
            {
                if (model != null && !model.SupportsOutputCompression)
                    throw new ImageRequestException(ErrorIds.ParameterNotSupportedByModel,
                        $"{model.Name} does not take -OutputCompression. Remove it, or use a GPT image model with -OutputFormat jpeg or webp.", "output_compression");
                if (compression < 0 || compression > 100)
                    throw new ImageRequestException(ErrorIds.OutputCompressionOutOfRange,
                        $"-OutputCompression must be between 0 and 100; {compression} is not.", "output_compression");
                // 100, the default, compresses nothing, and the spec's own example sends it with png.
                if (compression != 100 && !CompressibleFormats.Contains(format, StringComparer.OrdinalIgnoreCase))
                    throw new ImageRequestException(ErrorIds.OutputCompressionRequiresJpegOrWebp,
                        $"-OutputCompression applies to jpeg and webp output only, and the output format is {format}. Add -OutputFormat jpeg or -OutputFormat webp, or remove -OutputCompression.", "output_compression");
            }
            if (string.Equals(request.Background, "transparent", StringComparison.OrdinalIgnoreCase)
                && string.Equals(format, "jpeg", StringComparison.OrdinalIgnoreCase))
                throw new ImageRequestException(ErrorIds.TransparentBackgroundRequiresPngOrWebp,
                    "A transparent background needs an output format with alpha, and jpeg has none. Use -OutputFormat png or -OutputFormat webp, or another -Background.", "background");
        }

        /// <summary>-OutFile's extension against the format the images will have: a file named .webp never holds a PNG.</summary>
        internal static void CheckFileFormat(string named, string format, string why)
        {
            if (string.Equals(named, format, StringComparison.OrdinalIgnoreCase)) return;
            throw new ImageRequestException(ErrorIds.OutFileFormatMismatch,
                $"-OutFile names a {named} file, but {why}. Make them agree: change the file's extension, or the format.", "output_format");
        }

        internal static void CheckStreaming(PromptedImageRequest request, ModelInfo? model)
        {
            if (request.PartialImages is int partial)
            {
                if (partial < 0 || partial > 3)
                    throw new ImageRequestException(ErrorIds.PartialImagesOutOfRange,
                        $"-PartialImages must be between 0 and 3; {partial} is not.", "partial_images");
                if (!request.Stream)
                    throw new ImageRequestException(ErrorIds.PartialImagesRequireStream,
                        "-PartialImages works only with -Stream. Add -Stream, or remove -PartialImages.", "partial_images");
            }
            if (request.Stream && model != null && !model.SupportsStreaming)
            {
                var streamers = ModelCatalog.All.Where(m => m.SupportsStreaming).Select(m => m.Name).First();
                throw new ImageRequestException(ErrorIds.StreamingNotSupported,
                    $"{model.Name} cannot stream partial images. Remove -Stream, or use a GPT image model such as {streamers}.", "stream");
            }
        }
    }
}
