using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using OpenAIImages.Engine.Http;
using OpenAIImages.Engine.Json;
using OpenAIImages.Engine.Models;
using OpenAIImages.Engine.Requests;
using OpenAIImages.Engine.Results;
using OpenAIImages.Engine.Streaming;
using OpenAIImages.Engine.Validation;

namespace OpenAIImages.Engine
{
    /// <summary>
    /// The Images API, PowerShell-free: validate, send, read. One instance per connection; safe to use from
    /// several threads at once.
    /// </summary>
    public sealed class OpenAIImageClient
    {
        private readonly ApiRequestSender _sender;

        public OpenAIImageClient(OpenAIConnection connection)
        {
            _sender = new ApiRequestSender(connection ?? throw new ArgumentNullException(nameof(connection)));
        }

        public OpenAIConnection Connection => _sender.Connection;

        /// <summary>Time source for shutdown warnings; tests set it.</summary>
        internal Func<DateTimeOffset> Clock { get; set; } = () => DateTimeOffset.UtcNow;

        /// <summary>Which shutdown warnings were given; the session's by default, a fresh set in tests.</summary>
        internal ShutdownNotices Notices { get; set; } = ShutdownNotices.Session;

        /// <summary>POST images/generations. Throws <see cref="ImageRequestException"/> before sending anything when the request cannot succeed.</summary>
        public async Task<IReadOnlyList<GeneratedImage>> GenerateAsync(ImageGenerationRequest request, IOperationObserver? observer = null, CancellationToken cancellationToken = default, IImageStreamObserver? streamObserver = null)
        {
            if (request == null) throw new ArgumentNullException(nameof(request));
            observer ??= NullOperationObserver.Instance;
            var validated = ImageRequestValidator.Validate(request);
            WarnOnceIfRetiring(validated.Model, observer);

            var body = new GenerationRequestBody
            {
                Model = ModelCatalog.WireName(request.Model),
                Prompt = request.Prompt,
                N = request.Count,
                Size = request.Size == null ? null : validated.Size.ToString(),
                Quality = Lower(request.Quality),
                Style = Lower(request.Style),
                Background = Lower(request.Background),
                OutputFormat = Lower(request.OutputFormat),
                OutputCompression = request.OutputCompression,
                Moderation = Lower(request.Moderation),
                ResponseFormat = Lower(request.ResponseFormat),
                User = request.User,
                Stream = request.Stream ? true : null,
                PartialImages = request.PartialImages,
            };
            byte[] json = JsonSerializer.SerializeToUtf8Bytes(body, EngineJsonContext.Default.GenerationRequestBody);
            observer.Debug("Request body: " + RequestRedactor.DescribeJson(json));

            return await SendForImagesAsync(Connection.EndpointFor("images/generations"), () => JsonContent(json), request, validated.Size, ImageOperation.Generation, observer, streamObserver, cancellationToken).ConfigureAwait(false);
        }

        /// <summary>POST images/edits: multipart for uploaded images, JSON for images by URL or file id.</summary>
        public async Task<IReadOnlyList<GeneratedImage>> EditAsync(ImageEditRequest request, IOperationObserver? observer = null, CancellationToken cancellationToken = default, IImageStreamObserver? streamObserver = null)
        {
            if (request == null) throw new ArgumentNullException(nameof(request));
            observer ??= NullOperationObserver.Instance;
            var validated = ImageRequestValidator.Validate(request);
            WarnOnceIfRetiring(validated.Model, observer);
            string? size = request.Size == null ? null : validated.Size.ToString();
            Func<HttpContent> content;
            if (request.IsJson)
            {
                var body = new EditJsonRequestBody
                {
                    Model = ModelCatalog.WireName(request.Model),
                    Prompt = request.Prompt,
                    N = request.Count,
                    Size = size,
                    Quality = Lower(request.Quality),
                    InputFidelity = Lower(request.InputFidelity),
                    Background = Lower(request.Background),
                    OutputFormat = Lower(request.OutputFormat),
                    OutputCompression = request.OutputCompression,
                    Moderation = Lower(request.Moderation),
                    User = request.User,
                    Stream = request.Stream ? true : null,
                    PartialImages = request.PartialImages,
                    Mask = request.MaskReference == null ? null : new ImageRefBody { ImageUrl = request.MaskReference.ImageUrl, FileId = request.MaskReference.FileId },
                };
                foreach (var reference in request.References) body.Images.Add(new ImageRefBody { ImageUrl = reference.ImageUrl, FileId = reference.FileId });
                byte[] json = JsonSerializer.SerializeToUtf8Bytes(body, EngineJsonContext.Default.EditJsonRequestBody);
                observer.Debug("Request body: " + RequestRedactor.DescribeJson(json));
                content = () => JsonContent(json);
            }
            else
            {
                // One image goes as "image", several as "image[]", as the official libraries send them.
                var form = new MultipartBody().Add("model", ModelCatalog.WireName(request.Model)).Add("prompt", request.Prompt);
                string imageField = request.Images.Count == 1 ? "image" : "image[]";
                foreach (var image in request.Images) form.AddFile(imageField, image);
                if (request.Mask != null) form.AddFile("mask", request.Mask);
                form.Add("n", request.Count).Add("size", size).Add("quality", Lower(request.Quality))
                    .Add("input_fidelity", Lower(request.InputFidelity)).Add("background", Lower(request.Background))
                    .Add("output_format", Lower(request.OutputFormat)).Add("output_compression", request.OutputCompression)
                    .Add("moderation", Lower(request.Moderation)).Add("response_format", Lower(request.ResponseFormat))
                    .Add("user", request.User).Add("stream", request.Stream).Add("partial_images", request.PartialImages);
                observer.Debug("Request body: " + form.Describe());
                content = form.Build;
            }

            return await SendForImagesAsync(Connection.EndpointFor("images/edits"), content, request, validated.Size, ImageOperation.Edit, observer, streamObserver, cancellationToken).ConfigureAwait(false);
        }

        /// <summary>POST images/variations: variations of one square PNG.</summary>
        public async Task<IReadOnlyList<GeneratedImage>> CreateVariationAsync(ImageVariationRequest request, IOperationObserver? observer = null, CancellationToken cancellationToken = default)
        {
            if (request == null) throw new ArgumentNullException(nameof(request));
            observer ??= NullOperationObserver.Instance;
            var validated = ImageRequestValidator.Validate(request);
            WarnOnceIfRetiring(validated.Model, observer);
            var form = new MultipartBody()
                .AddFile("image", request.Image)
                .Add("model", ModelCatalog.WireName(request.Model))
                .Add("n", request.Count)
                .Add("size", request.Size == null ? null : validated.Size.ToString())
                .Add("response_format", Lower(request.ResponseFormat))
                .Add("user", request.User);
            observer.Debug("Request body: " + form.Describe());
            return await SendForImagesAsync(Connection.EndpointFor("images/variations"), form.Build, request, validated.Size, ImageOperation.Variation, observer, null, cancellationToken).ConfigureAwait(false);
        }

        /// <summary>
        /// Sends and turns the answer into images: a JSON ImagesResponse, or, for streamed requests, server-sent events
        /// whose partial images go to <paramref name="streamObserver"/> as they arrive.
        /// </summary>
        private Task<IReadOnlyList<GeneratedImage>> SendForImagesAsync(Uri uri, Func<HttpContent> content, ImageRequestBase request, ImageSize size,
            ImageOperation operation, IOperationObserver observer, IImageStreamObserver? streamObserver, CancellationToken cancellationToken)
        {
            bool stream = request is PromptedImageRequest { Stream: true };
            return _sender.SendAsync(uri, content, observer, async (response, token) =>
            {
                if (!stream || !response.IsEventStream)
                {
                    using var body = new ApiResponse(await response.ReadBodyAsync(token).ConfigureAwait(false), response.RequestId, response.StatusCode);
                    try
                    {
                        return ToImages(body, request, size, operation);
                    }
                    catch (OpenAITransportException e)
                    {
                        // A complete answer that makes no sense will make none the second time either.
                        throw new ReadFailedException(e);
                    }
                }
                var reader = new ImageStreamReader(request, operation, response.RequestId)
                {
                    ExpectedImages = request.Count ?? 1,
                    PartialImages = (request as PromptedImageRequest)?.PartialImages ?? 0,
                    IdleTimeout = Connection.StreamIdleTimeout,
                    StatusCode = response.StatusCode,
                };
                using var events = await response.OpenAsync().ConfigureAwait(false);
                return await reader.ReadAsync(events, streamObserver, token).ConfigureAwait(false);
            }, acceptsEventStream: stream, cancellationToken);
        }

        internal static IReadOnlyList<GeneratedImage> ToImages(ApiResponse response, ImageRequestBase request, ImageSize requestedSize, ImageOperation operation)
        {
            ImagesResponse parsed;
            try
            {
                parsed = ImagesResponseReader.Read(response.Body.Span);
            }
            catch (InvalidDataException e)
            {
                throw new OpenAITransportException(OpenAITransportException.ResponseInvalid, e.Message, response.RequestId, e);
            }
            if (parsed.Data.Count == 0)
                throw new OpenAITransportException(OpenAITransportException.ResponseInvalid, "The server answered with no images.", response.RequestId);

            DateTimeOffset? created = UnixTime.FromSeconds(parsed.Created);
            var prompted = request as PromptedImageRequest;
            var images = new List<GeneratedImage>(parsed.Data.Count);
            for (int i = 0; i < parsed.Data.Count; i++)
            {
                var item = parsed.Data[i];
                Uri? url = null;
                if (item.Bytes == null)
                {
                    if (item.Url == null || !Uri.TryCreate(item.Url, UriKind.Absolute, out url))
                        throw new OpenAITransportException(OpenAITransportException.ResponseInvalid, $"Image {i} of the response has neither b64_json nor a valid url.", response.RequestId);
                }
                var image = new GeneratedImage
                {
                    Url = url,
                    Prompt = prompted?.Prompt,
                    RevisedPrompt = item.RevisedPrompt,
                    Model = ModelCatalog.WireName(request.Model),
                    Operation = operation,
                    Quality = parsed.Quality ?? Lower(prompted?.Quality),
                    Background = parsed.Background ?? Lower(prompted?.Background),
                    Index = i,
                    Created = created,
                    Usage = parsed.Usage,
                    RequestId = response.RequestId,
                };
                image.OutputFormat = parsed.OutputFormat ?? Lower(prompted?.OutputFormat);
                if (item.Bytes != null)
                {
                    image.SetBytes(item.Bytes);
                }
                else
                {
                    var reported = ImageSize.TryParse(parsed.Size, out var s) ? s : requestedSize;
                    if (!reported.IsAuto)
                    {
                        image.Width = reported.Width;
                        image.Height = reported.Height;
                    }
                }
                images.Add(image);
            }
            return images;
        }

        internal static ByteArrayContent JsonContent(byte[] json)
        {
            var content = new ByteArrayContent(json);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
            return content;
        }

        internal void WarnOnceIfRetiring(ModelInfo? model, IOperationObserver observer)
        {
            string? warning = Notices.TakeWarning(model, Clock());
            if (warning != null) observer.Warning(warning);
        }

        private static string? Lower(string? value) => value?.Trim().ToLowerInvariant();
    }
}
