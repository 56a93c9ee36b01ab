using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
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

        /// <summary>When a retry of this client's requests waits, the time it waits for; otherwise null.</summary>
        public DateTimeOffset? RetryingUntil => _sender.RetryingUntil;

        /// <summary>Time source for shutdown warnings; tests set it.</summary>
        internal Func<DateTimeOffset> Clock { get; set; } = () => DateTimeOffset.UtcNow;

        /// <summary>Which shutdown warnings were given; the session's by default, a fresh set in tests.</summary>
        internal ShutdownNotices Notices { get; set; } = ShutdownNotices.Session;

        /// <summary>POST images/generations, for a request made by <see cref="ImageRequestValidator.Prepare(ImageGenerationRequest)"/>, which refuses what cannot succeed before anything is sent.</summary>
        public async Task<IReadOnlyList<GeneratedImage>> GenerateAsync(PreparedRequest<ImageGenerationRequest> prepared, IOperationObserver? observer = null, CancellationToken cancellationToken = default, IImageStreamObserver? streamObserver = null)
        {
            if (prepared == null) throw new ArgumentNullException(nameof(prepared));
            observer ??= NullOperationObserver.Instance;
            var request = prepared.Request;
            if (request.ViaResponses) return await SendViaResponsesAsync(prepared, request, observer, streamObserver, cancellationToken).ConfigureAwait(false);
            var content = JsonBody(GenerationBody(prepared), observer);
            return await SendForImagesAsync(Connection.EndpointFor("images/generations"), content, prepared, observer, streamObserver, cancellationToken).ConfigureAwait(false);
        }

        /// <summary>POST images/edits, for a prepared request: multipart for uploaded images, JSON for images by URL or file id.</summary>
        public async Task<IReadOnlyList<GeneratedImage>> EditAsync(PreparedRequest<ImageEditRequest> prepared, IOperationObserver? observer = null, CancellationToken cancellationToken = default, IImageStreamObserver? streamObserver = null)
        {
            if (prepared == null) throw new ArgumentNullException(nameof(prepared));
            observer ??= NullOperationObserver.Instance;
            var request = prepared.Request;
            if (request.ViaResponses) return await SendViaResponsesAsync(prepared, request, observer, streamObserver, cancellationToken).ConfigureAwait(false);
            Func<HttpContent> content;
            if (request.IsJson)
            {
                content = JsonBody(JsonEditBody(prepared), observer);
            }
            else
            {
                // One image goes as "image", several as "image[]", as the official libraries send them.
                var form = new MultipartBody().Add("model", prepared.WireModel).Add("prompt", request.Prompt);
                string imageField = request.Images.Count == 1 ? "image" : "image[]";
                foreach (var image in request.Images) form.AddFile(imageField, image);
                if (request.Mask != null) form.AddFile("mask", request.Mask);
                form.Add("n", request.Count).Add("size", prepared.SizeText).Add("quality", prepared.Quality)
                    .Add("input_fidelity", prepared.InputFidelity).Add("background", prepared.Background)
                    .Add("output_format", prepared.OutputFormat).Add("output_compression", request.OutputCompression)
                    .Add("moderation", prepared.Moderation).Add("response_format", prepared.ResponseFormat)
                    .Add("user", request.User).Add("stream", request.Stream).Add("partial_images", request.PartialImages);
                observer.Debug("Request body: " + form.Describe());
                content = form.Build;
            }

            return await SendForImagesAsync(Connection.EndpointFor("images/edits"), content, prepared, observer, streamObserver, cancellationToken).ConfigureAwait(false);
        }

        /// <summary>The JSON body of a generation: what POST images/generations sends, and what a batch line carries.</summary>
        internal static byte[] GenerationBody(PreparedRequest<ImageGenerationRequest> prepared)
        {
            var request = prepared.Request;
            var body = new GenerationRequestBody
            {
                Model = prepared.WireModel,
                Prompt = request.Prompt,
                N = request.Count,
                Size = prepared.SizeText,
                Quality = prepared.Quality,
                Style = prepared.Style,
                Background = prepared.Background,
                OutputFormat = prepared.OutputFormat,
                OutputCompression = request.OutputCompression,
                Moderation = prepared.Moderation,
                ResponseFormat = prepared.ResponseFormat,
                User = request.User,
                Stream = request.Stream ? true : null,
                PartialImages = request.PartialImages,
            };
            return JsonSerializer.SerializeToUtf8Bytes(body, EngineJsonContext.Default.GenerationRequestBody);
        }

        /// <summary>The JSON body of an edit of images by URL or file id, sent alone or carried by a batch line.</summary>
        internal static byte[] JsonEditBody(PreparedRequest<ImageEditRequest> prepared)
        {
            var request = prepared.Request;
            var body = new EditJsonRequestBody
            {
                Model = prepared.WireModel,
                Prompt = request.Prompt,
                N = request.Count,
                Size = prepared.SizeText,
                Quality = prepared.Quality,
                InputFidelity = prepared.InputFidelity,
                Background = prepared.Background,
                OutputFormat = prepared.OutputFormat,
                OutputCompression = request.OutputCompression,
                Moderation = prepared.Moderation,
                User = request.User,
                Stream = request.Stream ? true : null,
                PartialImages = request.PartialImages,
                Mask = request.MaskReference == null ? null : new ImageRefBody { ImageUrl = request.MaskReference.ImageUrl, FileId = request.MaskReference.FileId },
            };
            foreach (var reference in request.References) body.Images.Add(new ImageRefBody { ImageUrl = reference.ImageUrl, FileId = reference.FileId });
            return JsonSerializer.SerializeToUtf8Bytes(body, EngineJsonContext.Default.EditJsonRequestBody);
        }

        /// <summary>POST images/variations, for a prepared request: variations of one square PNG.</summary>
        public async Task<IReadOnlyList<GeneratedImage>> CreateVariationAsync(PreparedRequest<ImageVariationRequest> prepared, IOperationObserver? observer = null, CancellationToken cancellationToken = default)
        {
            if (prepared == null) throw new ArgumentNullException(nameof(prepared));
            observer ??= NullOperationObserver.Instance;
            var request = prepared.Request;
            var form = new MultipartBody()
                .AddFile("image", request.Image)
                .Add("model", prepared.WireModel)
                .Add("n", request.Count)
                .Add("size", prepared.SizeText)
                .Add("response_format", prepared.ResponseFormat)
                .Add("user", request.User);
            observer.Debug("Request body: " + form.Describe());
            return await SendForImagesAsync(Connection.EndpointFor("images/variations"), form.Build, prepared, observer, null, cancellationToken).ConfigureAwait(false);
        }

        /// <summary>
        /// Sends and turns the answer into images: a JSON ImagesResponse, or, for streamed requests, server-sent events
        /// whose partial images go to <paramref name="streamObserver"/> as they arrive.
        /// </summary>
        private Task<IReadOnlyList<GeneratedImage>> SendForImagesAsync(Uri uri, Func<HttpContent> content, PreparedRequest prepared,
            IOperationObserver observer, IImageStreamObserver? streamObserver, CancellationToken cancellationToken)
        {
            WarnOnceIfRetiring(prepared.Model, observer);
            if (prepared.Model?.FreeSize?.Advice(prepared.Size) is string advice) observer.Warning(advice);
            bool stream = prepared.Stream;
            return _sender.SendAsync(uri, content, observer, async (response, token) =>
            {
                if (!stream || !response.IsEventStream)
                {
                    // Decoded while it streams in: the base64 text is never held whole (see StreamingImagesReader).
                    ImagesResponse parsed;
                    using (var body = await response.OpenAsync().ConfigureAwait(false))
                    {
                        try
                        {
                            parsed = await StreamingImagesReader.ReadAsync(body, ApiRequestSender.MaxResponseBytes, token).ConfigureAwait(false);
                        }
                        catch (InvalidDataException e)
                        {
                            // A complete answer that makes no sense will make none the second time either.
                            throw new ReadFailedException(new OpenAITransportException(OpenAITransportException.ResponseInvalid,
                                $"The server answered HTTP {response.StatusCode}, but its body is not the API's answer: {e.Message.TrimEnd('.')}.", response.RequestId, e));
                        }
                    }
                    try
                    {
                        return ToImages(parsed, prepared, response.RequestId);
                    }
                    catch (OpenAITransportException e)
                    {
                        throw new ReadFailedException(e);
                    }
                }
                var reader = new ImageStreamReader(prepared, response.RequestId)
                {
                    IdleTimeout = Connection.StreamIdleTimeout,
                    StatusCode = response.StatusCode,
                };
                using var events = await response.OpenAsync().ConfigureAwait(false);
                return await reader.ReadAsync(events, streamObserver, token).ConfigureAwait(false);
            }, acceptsEventStream: stream, cancellationToken);
        }

        /// <summary>
        /// POST responses: a mainline model calls the image_generation tool (see <see cref="ResponsesRequestBody"/>).
        /// The answer's image calls become the same images as the Images API gives, with the response id, the call id,
        /// the action and the revised prompt; an answer with text and no image is <see cref="OpenAITextAnswerException"/>.
        /// </summary>
        private Task<IReadOnlyList<GeneratedImage>> SendViaResponsesAsync(PreparedRequest prepared, PromptedImageRequest request,
            IOperationObserver observer, IImageStreamObserver? streamObserver, CancellationToken cancellationToken)
        {
            // Azure OpenAI serves the Responses API from the resource's v1 API, not under a deployment's URL.
            if (Connection.IsAzure && Connection.BaseUri.AbsolutePath.IndexOf("/deployments/", StringComparison.OrdinalIgnoreCase) >= 0)
                throw new ImageRequestException(ErrorIds.ParameterNotSupportedByResponses,
                    "-Deployment cannot go through the Responses API: Azure OpenAI serves it from the resource's v1 API. Leave out -Deployment, and give the deployments' names in -ResponsesModel and -Model.", "deployment");
            var content = JsonBody(ResponsesRequestBody.Write(prepared, request), observer);
            WarnOnceIfRetiring(prepared.Model, observer);
            if (prepared.Model?.FreeSize?.Advice(prepared.Size) is string advice) observer.Warning(advice);
            bool stream = request.Stream;
            return _sender.SendAsync(Connection.EndpointFor("responses"), content, observer, async (response, token) =>
            {
                if (stream && response.IsEventStream)
                {
                    var reader = new ResponsesStreamReader(prepared, request, response.RequestId)
                    {
                        IdleTimeout = Connection.StreamIdleTimeout,
                        StatusCode = response.StatusCode,
                    };
                    using var events = await response.OpenAsync().ConfigureAwait(false);
                    return await reader.ReadAsync(events, streamObserver, token).ConfigureAwait(false);
                }
                using var body = new ApiResponse(await response.ReadBodyAsync(token).ConfigureAwait(false), response.RequestId, response.StatusCode);
                try
                {
                    ResponsesAnswer answer;
                    try
                    {
                        answer = ResponsesAnswerReader.Read(body.Body.Span);
                    }
                    catch (InvalidDataException e)
                    {
                        throw new OpenAITransportException(OpenAITransportException.ResponseInvalid,
                            $"The server answered HTTP {body.StatusCode}, but its body is not a Response: {e.Message.TrimEnd('.')}.", body.RequestId, e);
                    }
                    return ToImages(answer, prepared, request, body.RequestId);
                }
                catch (OpenAIImagesException e)
                {
                    // A complete answer that makes no image will make none the second time either.
                    throw new ReadFailedException(e);
                }
            }, acceptsEventStream: stream, cancellationToken);
        }

        /// <summary>The images of a Response's image calls; text and no image is the model's answer, as an error.</summary>
        internal static IReadOnlyList<GeneratedImage> ToImages(ResponsesAnswer answer, PreparedRequest prepared, PromptedImageRequest request, string? requestId)
        {
            var images = new List<GeneratedImage>();
            foreach (var call in answer.Calls)
            {
                if (call.Result == null) continue;
                var image = prepared.NewImage(images.Count, requestId, call.Result, null, call.RevisedPrompt, call.Quality, call.Background,
                    call.OutputFormat, call.Size, UnixTime.FromSeconds(answer.CreatedAt), answer.Usage, null);
                image.ResponseId = answer.Id;
                image.ImageCallId = call.Id;
                image.Action = call.Action;
                image.ResponsesModel = request.ResponsesModel;
                image.ResponseStored = answer.Store ?? request.Store;
                images.Add(image);
            }
            if (images.Count > 0) return images;
            var failed = answer.Calls.FirstOrDefault(c => c.Status == "failed");
            if (failed != null || answer.ErrorMessage != null)
                throw new OpenAITransportException(OpenAITransportException.ResponseInvalid,
                    $"The image tool failed{(answer.ErrorMessage == null ? "" : ": " + answer.ErrorMessage.TrimEnd('.'))}, and no image came back.", requestId);
            throw new OpenAITextAnswerException(request.ResponsesModel ?? "The model", answer.Text.ToString(), answer.Id, requestId);
        }

        internal static IReadOnlyList<GeneratedImage> ToImages(ApiResponse response, PreparedRequest prepared)
        {
            ImagesResponse parsed;
            try
            {
                parsed = ImagesResponseReader.Read(response.Body.Span);
            }
            catch (InvalidDataException e)
            {
                throw new OpenAITransportException(OpenAITransportException.ResponseInvalid,
                    $"The server answered HTTP {response.StatusCode}, but its body is not the API's answer: {e.Message.TrimEnd('.')}.", response.RequestId, e);
            }
            return ToImages(parsed, prepared, response.RequestId);
        }

        /// <summary>The images of a read ImagesResponse, each made by <see cref="PreparedRequest.NewImage"/>.</summary>
        internal static IReadOnlyList<GeneratedImage> ToImages(ImagesResponse parsed, PreparedRequest prepared, string? requestId)
        {
            if (parsed.Data.Count == 0)
                throw new OpenAITransportException(OpenAITransportException.ResponseInvalid, "The server answered with no images.", requestId);

            DateTimeOffset? created = UnixTime.FromSeconds(parsed.Created);
            var images = new List<GeneratedImage>(parsed.Data.Count);
            for (int i = 0; i < parsed.Data.Count; i++)
            {
                var item = parsed.Data[i];
                Uri? url = null;
                if (item.Bytes == null)
                {
                    if (item.Url == null || !Uri.TryCreate(item.Url, UriKind.Absolute, out url))
                        throw new OpenAITransportException(OpenAITransportException.ResponseInvalid, $"Image {i} of the response has neither b64_json nor a valid url.", requestId);
                }
                images.Add(prepared.NewImage(i, requestId, item.Bytes, url, item.RevisedPrompt, parsed.Quality, parsed.Background,
                    parsed.OutputFormat, parsed.Size, created, parsed.Usage, partialImageIndex: null));
            }
            return images;
        }

        /// <summary>A JSON body, shown (redacted) in the debug stream, made anew for every attempt.</summary>
        private static Func<HttpContent> JsonBody(byte[] json, IOperationObserver observer)
        {
            observer.Debug("Request body: " + RequestRedactor.DescribeJson(json));
            return () => JsonContent(json);
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

    }
}
