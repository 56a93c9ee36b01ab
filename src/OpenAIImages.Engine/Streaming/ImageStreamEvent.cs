using System;
using System.IO;
using System.Text.Json;
using OpenAIImages.Engine.Results;

namespace OpenAIImages.Engine.Streaming
{
    /// <summary>What kind of image stream event a <c>type</c> (or SSE event name) names.</summary>
    internal enum ImageStreamEventKind
    {
        Other,
        PartialImage,
        Completed,
        Error,
    }

    /// <summary>
    /// The data of one image stream event: ImageGenPartialImageEvent, ImageGenCompletedEvent and their image_edit
    /// twins share every field, so one shape serves all four; an error event fills the error fields instead.
    /// </summary>
    internal sealed class ImageStreamEvent
    {
        public string? Type;
        public byte[]? Bytes;
        public long? PartialImageIndex;
        public long? CreatedAt;
        public string? Size;
        public string? Quality;
        public string? Background;
        public string? OutputFormat;
        public ImageUsage? Usage;

        /// <summary>True when the data had an <c>error</c> member (an object or a bare message).</summary>
        public bool HasError;
        public string? ErrorType;
        public string? ErrorCode;
        public string? ErrorParam;
        public string? ErrorMessage;

        /// <summary>Top-level <c>code</c>, <c>param</c> and <c>message</c>: where a flat error event keeps them.</summary>
        public string? Code;
        public string? Param;
        public string? Message;

        public static ImageStreamEventKind KindOf(string? type) => type switch
        {
            "image_generation.partial_image" or "image_edit.partial_image" => ImageStreamEventKind.PartialImage,
            "image_generation.completed" or "image_edit.completed" => ImageStreamEventKind.Completed,
            "error" => ImageStreamEventKind.Error,
            _ => ImageStreamEventKind.Other,
        };

        /// <summary>
        /// Reads event data with the same helpers as whole responses: <c>b64_json</c> decodes from the data bytes into
        /// an exactly sized array. Unknown members are skipped. Throws <see cref="InvalidDataException"/> for data that
        /// is not a JSON object or has a member of the wrong kind.
        /// </summary>
        public static ImageStreamEvent Read(ReadOnlySpan<byte> json)
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 64 });
            var e = new ImageStreamEvent();
            if (ImagesResponseReader.Next(ref reader) != JsonTokenType.StartObject) throw new InvalidDataException("The event data is not a JSON object.");
            while (ImagesResponseReader.Next(ref reader) == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("type")) e.Type = ImagesResponseReader.ReadString(ref reader);
                else if (reader.ValueTextEquals("b64_json")) e.Bytes = ImagesResponseReader.ReadBase64(ref reader);
                else if (reader.ValueTextEquals("partial_image_index")) e.PartialImageIndex = ImagesResponseReader.ReadInt64(ref reader);
                else if (reader.ValueTextEquals("created_at")) e.CreatedAt = ImagesResponseReader.ReadInt64(ref reader);
                else if (reader.ValueTextEquals("size")) e.Size = ImagesResponseReader.ReadString(ref reader);
                else if (reader.ValueTextEquals("quality")) e.Quality = ImagesResponseReader.ReadString(ref reader);
                else if (reader.ValueTextEquals("background")) e.Background = ImagesResponseReader.ReadString(ref reader);
                else if (reader.ValueTextEquals("output_format")) e.OutputFormat = ImagesResponseReader.ReadString(ref reader);
                else if (reader.ValueTextEquals("usage")) e.Usage = ImagesResponseReader.ReadUsage(ref reader);
                else if (reader.ValueTextEquals("error")) ReadError(ref reader, e);
                else if (reader.ValueTextEquals("code")) e.Code = ImagesResponseReader.ReadString(ref reader);
                else if (reader.ValueTextEquals("param")) e.Param = ImagesResponseReader.ReadString(ref reader);
                else if (reader.ValueTextEquals("message")) e.Message = ImagesResponseReader.ReadString(ref reader);
                else ImagesResponseReader.SkipValue(ref reader);
            }
            return e;
        }

        private static void ReadError(ref Utf8JsonReader reader, ImageStreamEvent e)
        {
            var token = ImagesResponseReader.Next(ref reader);
            if (token == JsonTokenType.Null) return;
            if (token == JsonTokenType.String)
            {
                e.HasError = true;
                e.ErrorMessage = reader.GetString();
                return;
            }
            if (token != JsonTokenType.StartObject)
            {
                if (token == JsonTokenType.StartArray) reader.Skip();
                return;
            }
            e.HasError = true;
            while (ImagesResponseReader.Next(ref reader) == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("type")) e.ErrorType = ImagesResponseReader.ReadString(ref reader);
                else if (reader.ValueTextEquals("code")) e.ErrorCode = ImagesResponseReader.ReadString(ref reader);
                else if (reader.ValueTextEquals("param")) e.ErrorParam = ImagesResponseReader.ReadString(ref reader);
                else if (reader.ValueTextEquals("message")) e.ErrorMessage = ImagesResponseReader.ReadString(ref reader);
                else ImagesResponseReader.SkipValue(ref reader);
            }
        }
    }
}
