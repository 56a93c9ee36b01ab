using System;
using System.Collections.Generic;
using System.IO;
using System.Net.ServerSentEvents;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using OpenAIImages.Engine.Http;
using OpenAIImages.Engine.Requests;
using OpenAIImages.Engine.Results;
using static OpenAIImages.Engine.Results.ImagesResponseReader;

namespace OpenAIImages.Engine.Streaming
{
    /// <summary>
    /// Reads the server-sent events of a streamed /v1/responses answer: each
    /// <c>response.image_generation_call.partial_image</c> goes to the observer as the same progress the Images API
    /// path reports, and <c>response.completed</c> carries the whole response, whose image calls become the results.
    /// An error event, <c>response.failed</c> or <c>response.incomplete</c> fails the request; a stream that ends before
    /// <c>response.completed</c> is ResponseInvalid. The guard gives the idle timeout, size limits and cancellation, as
    /// for the Images API.
    /// </summary>
    internal sealed class ResponsesStreamReader
    {
        private readonly PreparedRequest _prepared;
        private readonly PromptedImageRequest _request;
        private readonly string? _requestId;

        public ResponsesStreamReader(PreparedRequest prepared, PromptedImageRequest request, string? requestId)
        {
            _prepared = prepared;
            _request = request;
            _requestId = requestId;
        }

        public TimeSpan IdleTimeout { get; init; } = EventStreamGuard.DefaultIdleTimeout;
        public int StatusCode { get; init; } = 200;
        public int MaxEventBytes { get; init; } = EventStreamGuard.DefaultMaxEventBytes;

        private sealed class Event
        {
            public string? Type;
            public byte[]? Partial;
            public long? PartialIndex;
            public string? Size, Quality, OutputFormat, Background;
            public ResponsesAnswer? Response;
            public string? ErrorMessage, ErrorCode, ErrorType;
        }

        public async Task<IReadOnlyList<GeneratedImage>> ReadAsync(Stream eventStream, IImageStreamObserver? observer, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var guard = new EventStreamGuard(eventStream, IdleTimeout, _requestId, MaxEventBytes) { CallerToken = cancellationToken };
            var parser = SseParser.Create(guard, (name, data) => Parse(guard.TypeOf(name), data));
            int partials = 0;
            await foreach (var item in parser.EnumerateAsync(CancellationToken.None).ConfigureAwait(false))
            {
                var e = item.Data;
                if (e == null) continue;
                switch (e.Type)
                {
                    case "response.image_generation_call.partial_image" when e.Partial != null:
                    {
                        int index = e.PartialIndex is long i && i >= 0 && i < int.MaxValue ? (int)i : partials;
                        partials++;
                        var partial = _prepared.NewImage(0, _requestId, e.Partial, null, null, e.Quality, e.Background, e.OutputFormat, e.Size, null, null, index);
                        observer?.OnPartialImage(new ImageStreamProgress(partial, 1, _prepared.PartialImages));
                        break;
                    }
                    case "response.completed" when e.Response != null:
                    {
                        var images = OpenAIImageClient.ToImages(e.Response, _prepared, _request, _requestId);
                        foreach (var image in images) observer?.OnImageCompleted(new ImageStreamProgress(image, images.Count, _prepared.PartialImages));
                        return images;
                    }
                    case "error":
                    case "response.failed":
                    case "response.incomplete":
                        throw new OpenAIApiException(StatusCode, e.ErrorType, e.ErrorCode, null,
                            e.ErrorMessage ?? e.Response?.ErrorMessage ?? $"The response ended with {e.Type}.", _requestId);
                }
            }
            throw new OpenAITransportException(OpenAITransportException.ResponseInvalid,
                partials > 0 ? $"The stream ended before the image was complete: no response.completed event arrived, only {partials} partial image(s)." : "The stream ended before the image was complete: no response.completed event arrived.", _requestId);
        }

        private Event? Parse(string name, ReadOnlySpan<byte> data)
        {
            try
            {
                var reader = new Utf8JsonReader(data, new JsonReaderOptions { MaxDepth = 64 });
                if (Next(ref reader) != JsonTokenType.StartObject) return name == "error" ? new Event { Type = "error", ErrorMessage = "The server reported an error in the event stream." } : null;
                var e = new Event();
                while (Next(ref reader) == JsonTokenType.PropertyName)
                {
                    if (reader.ValueTextEquals("type")) e.Type = ReadString(ref reader);
                    else if (reader.ValueTextEquals("partial_image_b64")) e.Partial = ReadBase64(ref reader);
                    else if (reader.ValueTextEquals("partial_image_index")) e.PartialIndex = ReadInt64(ref reader);
                    else if (reader.ValueTextEquals("size")) e.Size = ReadString(ref reader);
                    else if (reader.ValueTextEquals("quality")) e.Quality = ReadString(ref reader);
                    else if (reader.ValueTextEquals("output_format")) e.OutputFormat = ReadString(ref reader);
                    else if (reader.ValueTextEquals("background")) e.Background = ReadString(ref reader);
                    else if (reader.ValueTextEquals("response") && Next(ref reader) == JsonTokenType.StartObject)
                    {
                        e.Response = new ResponsesAnswer();
                        ResponsesAnswerReader.ReadResponse(ref reader, e.Response);
                    }
                    else if (reader.ValueTextEquals("message")) e.ErrorMessage = ReadString(ref reader);
                    else if (reader.ValueTextEquals("code")) e.ErrorCode = ReadString(ref reader);
                    else if (reader.ValueTextEquals("error") && Next(ref reader) == JsonTokenType.StartObject)
                    {
                        while (Next(ref reader) == JsonTokenType.PropertyName)
                        {
                            if (reader.ValueTextEquals("message")) e.ErrorMessage = ReadString(ref reader);
                            else if (reader.ValueTextEquals("code")) e.ErrorCode = ReadString(ref reader);
                            else if (reader.ValueTextEquals("type")) e.ErrorType = ReadString(ref reader);
                            else SkipValue(ref reader);
                        }
                    }
                    else if (reader.TokenType == JsonTokenType.PropertyName) SkipValue(ref reader);
                    else if (reader.TokenType == JsonTokenType.StartObject || reader.TokenType == JsonTokenType.StartArray) reader.Skip();
                }
                e.Type ??= name;
                return e;
            }
            catch (InvalidDataException ex)
            {
                throw new OpenAITransportException(OpenAITransportException.ResponseInvalid, $"The {name} event in the stream could not be read: {ex.Message}", _requestId, ex);
            }
        }
    }
}
