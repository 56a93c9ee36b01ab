using System.Collections.Generic;
using System.Text;
using System.Text.Json;
using static OpenAIImages.Engine.Results.ImagesResponseReader;

namespace OpenAIImages.Engine.Results
{
    /// <summary>One image_generation_call output item of a Response.</summary>
    internal sealed class ImageCall
    {
        public string? Id { get; set; }
        public string? Status { get; set; }
        public string? Action { get; set; }
        public string? RevisedPrompt { get; set; }
        public string? Size { get; set; }
        public string? Quality { get; set; }
        public string? OutputFormat { get; set; }
        public string? Background { get; set; }
        public byte[]? Result { get; set; }
    }

    /// <summary>What a Response says of the image tool: its calls, the model's text, usage and the response id.</summary>
    internal sealed class ResponsesAnswer
    {
        public string? Id { get; set; }
        public string? Status { get; set; }
        public long? CreatedAt { get; set; }
        public bool? Store { get; set; }
        public List<ImageCall> Calls { get; } = new List<ImageCall>();
        public StringBuilder Text { get; } = new StringBuilder();
        public ImageUsage? Usage { get; set; }
        public string? ErrorMessage { get; set; }
    }

    /// <summary>
    /// Reads a Response (POST /v1/responses, or the response of a response.completed event) with
    /// <see cref="Utf8JsonReader"/>: each call's <c>result</c> is decoded straight from the body into an array of the
    /// image's size, as <see cref="ImagesResponseReader"/> decodes b64_json; other output items give their text.
    /// </summary>
    internal static class ResponsesAnswerReader
    {
        public static ResponsesAnswer Read(System.ReadOnlySpan<byte> json)
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 64 });
            var answer = new ResponsesAnswer();
            if (Next(ref reader) != JsonTokenType.StartObject) throw new System.IO.InvalidDataException("The answer is not a JSON object.");
            ReadResponse(ref reader, answer);
            return answer;
        }

        /// <summary>Reads the members of a Response object whose StartObject was just read.</summary>
        internal static void ReadResponse(ref Utf8JsonReader reader, ResponsesAnswer answer)
        {
            while (Next(ref reader) == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("id")) answer.Id = ReadString(ref reader);
                else if (reader.ValueTextEquals("status")) answer.Status = ReadString(ref reader);
                else if (reader.ValueTextEquals("created_at")) answer.CreatedAt = ReadInt64(ref reader);
                else if (reader.ValueTextEquals("store")) answer.Store = Next(ref reader) == JsonTokenType.True ? true : reader.TokenType == JsonTokenType.False ? false : (bool?)null;
                else if (reader.ValueTextEquals("output")) ReadOutput(ref reader, answer);
                else if (reader.ValueTextEquals("usage")) answer.Usage = ReadUsage(ref reader);
                else if (reader.ValueTextEquals("error")) answer.ErrorMessage = ReadErrorMessage(ref reader);
                else SkipValue(ref reader);
            }
        }

        private static void ReadOutput(ref Utf8JsonReader reader, ResponsesAnswer answer)
        {
            if (Next(ref reader) == JsonTokenType.Null) return;
            if (reader.TokenType != JsonTokenType.StartArray) throw new System.IO.InvalidDataException("'output' is not an array.");
            while (Next(ref reader) == JsonTokenType.StartObject) ReadItem(ref reader, answer);
        }

        /// <summary>Reads one output item whose StartObject was just read: an image call is kept, a message's text added.</summary>
        internal static ImageCall? ReadItem(ref Utf8JsonReader reader, ResponsesAnswer answer)
        {
            var call = new ImageCall();
            string? type = null;
            var text = new StringBuilder();
            while (Next(ref reader) == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("type")) type = ReadString(ref reader);
                else if (reader.ValueTextEquals("id")) call.Id = ReadString(ref reader);
                else if (reader.ValueTextEquals("status")) call.Status = ReadString(ref reader);
                else if (reader.ValueTextEquals("action")) call.Action = ReadString(ref reader);
                else if (reader.ValueTextEquals("revised_prompt")) call.RevisedPrompt = ReadString(ref reader);
                else if (reader.ValueTextEquals("size")) call.Size = ReadString(ref reader);
                else if (reader.ValueTextEquals("quality")) call.Quality = ReadString(ref reader);
                else if (reader.ValueTextEquals("output_format")) call.OutputFormat = ReadString(ref reader);
                else if (reader.ValueTextEquals("background")) call.Background = ReadString(ref reader);
                else if (reader.ValueTextEquals("result")) call.Result = ReadBase64(ref reader);
                else if (reader.ValueTextEquals("content")) ReadContentText(ref reader, text);
                else SkipValue(ref reader);
            }
            if (type == "image_generation_call")
            {
                answer.Calls.Add(call);
                return call;
            }
            if (text.Length > 0)
            {
                if (answer.Text.Length > 0) answer.Text.Append(' ');
                answer.Text.Append(text);
            }
            return null;
        }

        /// <summary>The output_text (and refusal) parts of a message's content.</summary>
        private static void ReadContentText(ref Utf8JsonReader reader, StringBuilder text)
        {
            if (Next(ref reader) != JsonTokenType.StartArray)
            {
                if (reader.TokenType == JsonTokenType.StartObject) reader.Skip();
                return;
            }
            while (Next(ref reader) == JsonTokenType.StartObject)
            {
                while (Next(ref reader) == JsonTokenType.PropertyName)
                {
                    if (reader.ValueTextEquals("text") || reader.ValueTextEquals("refusal"))
                    {
                        string? part = ReadString(ref reader);
                        if (!string.IsNullOrEmpty(part)) text.Append(text.Length > 0 ? " " : "").Append(part);
                    }
                    else SkipValue(ref reader);
                }
            }
        }

        private static string? ReadErrorMessage(ref Utf8JsonReader reader)
        {
            if (Next(ref reader) == JsonTokenType.Null) return null;
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                return null;
            }
            string? message = null;
            while (Next(ref reader) == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("message")) message = ReadString(ref reader);
                else SkipValue(ref reader);
            }
            return message;
        }
    }
}
