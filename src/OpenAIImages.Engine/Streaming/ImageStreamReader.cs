using System;
using System.Collections.Generic;
using System.IO;
using System.Net.ServerSentEvents;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using OpenAIImages.Engine.Http;
using OpenAIImages.Engine.Requests;
using OpenAIImages.Engine.Results;

namespace OpenAIImages.Engine.Streaming
{
    /// <summary>
    /// Turns the event stream of a <c>stream=true</c> generation or edit into images: each
    /// <c>image_generation.partial_image</c> / <c>image_edit.partial_image</c> event goes to the observer as a partial
    /// <see cref="GeneratedImage"/>, each <c>*.completed</c> event becomes a final one, and the final ones are returned
    /// once the request's n have arrived.
    /// </summary>
    /// <remarks>
    /// <para>
    /// An event's kind comes from the <c>type</c> member of its data, or from the SSE <c>event</c> name when the data
    /// has none. Other event types and unknown members are ignored, and so is data that is not a JSON object under an
    /// unknown name (such as a <c>[DONE]</c> line).
    /// </para>
    /// <para>
    /// Events carry no image number, so with n &gt; 1 partial images are taken to belong to the image after the last
    /// completed one, and each completed event's usage is kept on its own image.
    /// </para>
    /// <para>
    /// An error event (<c>event: error</c>, <c>"type":"error"</c>, or any data with an <c>error</c> member) becomes an
    /// <see cref="OpenAIApiException"/> whose status is <see cref="StatusCode"/>: the HTTP status of the response,
    /// which was a success when the stream began. The error id then follows the error's code
    /// (<c>moderation_blocked</c> still gives OpenAIContentBlocked) or falls back to OpenAIRequestFailed.
    /// </para>
    /// <para>
    /// A stream that ends before n completed events is an <see cref="OpenAITransportException"/> with
    /// <see cref="OpenAITransportException.ResponseInvalid"/>, never an empty or short success.
    /// </para>
    /// </remarks>
    internal sealed class ImageStreamReader
    {
        private const int MaxQuotedChars = 500;

        private readonly PreparedRequest _prepared;
        private readonly string? _requestId;

        /// <param name="prepared">The request that was sent: model, prompt and what it asked for fill what events leave out.</param>
        /// <param name="requestId">The response's x-request-id.</param>
        public ImageStreamReader(PreparedRequest prepared, string? requestId)
        {
            _prepared = prepared ?? throw new ArgumentNullException(nameof(prepared));
            _requestId = requestId;
            ExpectedImages = prepared.ImageCount;
            PartialImages = prepared.PartialImages;
        }

        /// <summary>n: how many completed events end the stream. Defaults to the request's Count, or 1.</summary>
        public int ExpectedImages { get; init; }

        /// <summary>partial_images as requested, for "partial image 2 of 3". Defaults to the request's PartialImages, or 0.</summary>
        public int PartialImages { get; init; }

        /// <summary>The longest the stream may send nothing before the request fails as timed out.</summary>
        public TimeSpan IdleTimeout { get; init; } = EventStreamGuard.DefaultIdleTimeout;

        /// <summary>The HTTP status of the response, given to an error event's exception.</summary>
        public int StatusCode { get; init; } = 200;

        /// <summary>The largest event data accepted.</summary>
        public int MaxEventBytes { get; init; } = EventStreamGuard.DefaultMaxEventBytes;

        /// <summary>
        /// Reads events until <see cref="ExpectedImages"/> images are complete, telling <paramref name="observer"/> of
        /// each partial and final image in order, and returns the final images (IsPartial false), in order.
        /// Does not dispose <paramref name="eventStream"/> except to abort a read on cancellation or idle timeout.
        /// </summary>
        /// <exception cref="OperationCanceledException">The token was cancelled; returns promptly even with a read pending.</exception>
        /// <exception cref="OpenAIApiException">The stream carried an error event.</exception>
        /// <exception cref="OpenAITransportException">The stream stalled (TimedOut), broke (ConnectionFailed), ended early or sent what the API does not send (ResponseInvalid).</exception>
        public async Task<IReadOnlyList<GeneratedImage>> ReadAsync(Stream eventStream, IImageStreamObserver? observer, CancellationToken cancellationToken)
        {
            if (eventStream == null) throw new ArgumentNullException(nameof(eventStream));
            int expected = Math.Max(1, ExpectedImages);
            var images = new List<GeneratedImage>(expected);
            int partialsOfCurrent = 0;
            cancellationToken.ThrowIfCancellationRequested();
            // System.Net.ServerSentEvents reads the event stream format; the guard adds what it lacks (the idle timeout,
            // size limits, cancellation that ends a pending read, failures named with the request id). Each event's data
            // is parsed while it is still in the parser's buffer: the base64 of an image is decoded, never copied first.
            using var guard = new EventStreamGuard(eventStream, IdleTimeout, _requestId, MaxEventBytes) { CallerToken = cancellationToken };
            var parser = SseParser.Create(guard, (name, data) =>
            {
                string type = guard.TypeOf(name);
                return (Name: type, Event: Parse(type, data));
            });
            await foreach (var item in parser.EnumerateAsync(CancellationToken.None).ConfigureAwait(false))
            {
                var (name, e) = item.Data;
                if (e == null) continue;
                switch (ImageStreamEvent.KindOf(e.Type ?? name))
                {
                    case ImageStreamEventKind.PartialImage:
                    {
                        if (e.Bytes == null) break;
                        int index = e.PartialImageIndex is long i && i >= 0 && i < int.MaxValue ? (int)i : partialsOfCurrent;
                        partialsOfCurrent++;
                        var partial = ToImage(e, images.Count, index);
                        observer?.OnPartialImage(new ImageStreamProgress(partial, expected, PartialImages));
                        break;
                    }
                    case ImageStreamEventKind.Completed:
                    {
                        if (e.Bytes == null)
                            throw new OpenAITransportException(OpenAITransportException.ResponseInvalid,
                                $"The {e.Type ?? name} event carried no image (b64_json is missing).", _requestId);
                        var image = ToImage(e, images.Count, null);
                        images.Add(image);
                        partialsOfCurrent = 0;
                        observer?.OnImageCompleted(new ImageStreamProgress(image, expected, PartialImages));
                        break;
                    }
                }
                if (images.Count == expected) break;
            }
            if (images.Count < expected) throw EndedEarly(images.Count, expected, partialsOfCurrent);
            return images;
        }

        /// <summary>The event's data, or null for an event to ignore; throws for an error event or unreadable image event.</summary>
        private ImageStreamEvent? Parse(string eventName, ReadOnlySpan<byte> data)
        {
            var nameKind = ImageStreamEvent.KindOf(eventName);
            if (!LooksLikeJsonObject(data))
            {
                if (nameKind == ImageStreamEventKind.Error) throw ApiError(null, Quote(data));
                if (nameKind == ImageStreamEventKind.Other) return null;
                throw new OpenAITransportException(OpenAITransportException.ResponseInvalid,
                    $"The {eventName} event in the stream does not carry a JSON object.", _requestId);
            }
            ImageStreamEvent e;
            try
            {
                e = ImageStreamEvent.Read(data);
            }
            catch (InvalidDataException ex)
            {
                if (nameKind == ImageStreamEventKind.Error) throw ApiError(null, Quote(data));
                string which = nameKind == ImageStreamEventKind.Other ? "An event in the stream" : $"The {eventName} event in the stream";
                throw new OpenAITransportException(OpenAITransportException.ResponseInvalid, $"{which} could not be read: {ex.Message}", _requestId, ex);
            }
            if (e.HasError || nameKind == ImageStreamEventKind.Error || ImageStreamEvent.KindOf(e.Type) == ImageStreamEventKind.Error)
                throw ApiError(e, null);
            return e;
        }

        private OpenAIApiException ApiError(ImageStreamEvent? e, string? text)
        {
            // A flat error ({"type":"invalid_request_error","message":...}) keeps its error type in "type".
            string? flatType = e?.Type != null && ImageStreamEvent.KindOf(e.Type) == ImageStreamEventKind.Other ? e.Type : null;
            string? message = e?.ErrorMessage ?? e?.Message ?? text;
            return new OpenAIApiException(StatusCode,
                e?.ErrorType ?? flatType,
                e?.ErrorCode ?? e?.Code,
                e?.ErrorParam ?? e?.Param,
                string.IsNullOrWhiteSpace(message) ? "The server reported an error in the event stream." : message!,
                _requestId);
        }

        private GeneratedImage ToImage(ImageStreamEvent e, int index, int? partialIndex) =>
            _prepared.NewImage(index, _requestId, e.Bytes, url: null, revisedPrompt: null, e.Quality, e.Background, e.OutputFormat, e.Size,
                UnixTime.FromSeconds(e.CreatedAt), partialIndex == null ? e.Usage : null, partialIndex);

        private OpenAITransportException EndedEarly(int completed, int expected, int partials)
        {
            string partialsText = partials == 1 ? "1 partial image" : $"{partials} partial images";
            string message = expected == 1
                ? "The stream ended before the image was complete: no completed event arrived" + (partials > 0 ? $", only {partialsText}." : ".")
                : $"The stream ended before the images were complete: {completed} of {expected} arrived" + (partials > 0 ? $", and {partialsText} of the next." : ".");
            return new OpenAITransportException(OpenAITransportException.ResponseInvalid, message, _requestId);
        }

        private static bool LooksLikeJsonObject(ReadOnlySpan<byte> data)
        {
            foreach (byte b in data)
            {
                if (b == (byte)' ' || b == (byte)'\t' || b == (byte)'\n' || b == (byte)'\r') continue;
                return b == (byte)'{';
            }
            return false;
        }

        private static string Quote(ReadOnlySpan<byte> data)
        {
            var slice = data.Slice(0, Math.Min(data.Length, MaxQuotedChars * 4));
            string text = Encoding.UTF8.GetString(slice.ToArray()).Trim();
            return text.Length > MaxQuotedChars ? text.Substring(0, MaxQuotedChars) + "..." : text;
        }

    }
}
