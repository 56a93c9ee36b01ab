using System;
using System.Buffers;
using System.Buffers.Text;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;

namespace OpenAIImages.Engine.Results
{
    /// <summary>One item of an ImagesResponse, before it becomes a <see cref="GeneratedImage"/>.</summary>
    internal sealed class ResponseImage
    {
        public byte[]? Bytes;

        /// <summary>True when b64_json was a string (possibly empty), not absent or null.</summary>
        public bool HasBase64;
        public string? Url;
        public string? RevisedPrompt;
    }

    /// <summary>An ImagesResponse as the spec defines it; fields the reader does not know are skipped.</summary>
    internal sealed class ImagesResponse
    {
        public long? Created;
        public List<ResponseImage> Data = new List<ResponseImage>();
        public string? Background;
        public string? OutputFormat;
        public string? Size;
        public string? Quality;
        public ImageUsage? Usage;
    }

    /// <summary>
    /// Reads an ImagesResponse with <see cref="Utf8JsonReader"/>, decoding each <c>b64_json</c> value straight from
    /// the response bytes into an array of the image's exact size: the base64 text never becomes a string.
    /// </summary>
    internal static class ImagesResponseReader
    {
        public static ImagesResponse Read(ReadOnlySpan<byte> json)
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 64 });
            var response = new ImagesResponse();
            Expect(ref reader, JsonTokenType.StartObject);
            while (Next(ref reader) == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("created")) response.Created = ReadInt64(ref reader);
                else if (reader.ValueTextEquals("data")) ReadData(ref reader, response.Data);
                else if (reader.ValueTextEquals("background")) response.Background = ReadString(ref reader);
                else if (reader.ValueTextEquals("output_format")) response.OutputFormat = ReadString(ref reader);
                else if (reader.ValueTextEquals("size")) response.Size = ReadString(ref reader);
                else if (reader.ValueTextEquals("quality")) response.Quality = ReadString(ref reader);
                else if (reader.ValueTextEquals("usage")) response.Usage = ReadUsage(ref reader);
                else SkipValue(ref reader);
            }
            return response;
        }

        private static void ReadData(ref Utf8JsonReader reader, List<ResponseImage> data)
        {
            if (Next(ref reader) == JsonTokenType.Null) return;
            if (reader.TokenType != JsonTokenType.StartArray) throw Invalid("'data' is not an array");
            while (Next(ref reader) == JsonTokenType.StartObject)
            {
                var image = new ResponseImage();
                while (Next(ref reader) == JsonTokenType.PropertyName)
                {
                    if (reader.ValueTextEquals("b64_json"))
                    {
                        image.Bytes = ReadBase64(ref reader);
                        image.HasBase64 = reader.TokenType == JsonTokenType.String;
                    }
                    else if (reader.ValueTextEquals("url")) image.Url = ReadString(ref reader);
                    else if (reader.ValueTextEquals("revised_prompt")) image.RevisedPrompt = ReadString(ref reader);
                    else SkipValue(ref reader);
                }
                data.Add(image);
            }
            if (reader.TokenType != JsonTokenType.EndArray) throw Invalid("an item of 'data' is not an object");
        }

        /// <summary>
        /// Decodes the next string value as base64 into an exactly sized array; null for null or "", which some
        /// compatible servers send beside a url: an image of no bytes is no image, and must not hide the url.
        /// </summary>
        internal static byte[]? ReadBase64(ref Utf8JsonReader reader)
        {
            if (Next(ref reader) == JsonTokenType.Null) return null;
            if (reader.TokenType != JsonTokenType.String) throw Invalid("'b64_json' is not a string");
            if (reader.HasValueSequence ? reader.ValueSequence.IsEmpty : reader.ValueSpan.IsEmpty) return null;
            if (!reader.ValueIsEscaped && !reader.HasValueSequence) return DecodeBase64(reader.ValueSpan);

            // Escaped text (a server that writes "\/") or a value split across segments: unescape into a pooled buffer.
            int max = reader.HasValueSequence ? checked((int)reader.ValueSequence.Length) : reader.ValueSpan.Length;
            byte[] rented = ArrayPool<byte>.Shared.Rent(max);
            try
            {
                int written = reader.CopyString(rented);
                return DecodeBase64(new ReadOnlySpan<byte>(rented, 0, written));
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }

        internal static byte[] DecodeBase64(ReadOnlySpan<byte> utf8)
        {
            int padding = utf8.Length > 0 && utf8[utf8.Length - 1] == (byte)'=' ? (utf8.Length > 1 && utf8[utf8.Length - 2] == (byte)'=' ? 2 : 1) : 0;
            if (utf8.Length % 4 != 0) throw Invalid("'b64_json' is not valid base64 (its length is not a multiple of 4)");
            // Filled completely or refused, so it need not be zeroed first.
            var bytes = UninitializedArray.Bytes(utf8.Length / 4 * 3 - padding);
            var status = Base64.DecodeFromUtf8(utf8, bytes, out _, out int written);
            if (status != OperationStatus.Done || written != bytes.Length) throw Invalid("'b64_json' is not valid base64");
            return bytes;
        }

        internal static ImageUsage? ReadUsage(ref Utf8JsonReader reader)
        {
            if (Next(ref reader) == JsonTokenType.Null) return null;
            if (reader.TokenType != JsonTokenType.StartObject) throw Invalid("'usage' is not an object");
            long input = 0, output = 0, total = 0;
            long? inText = null, inImage = null, outImage = null, outText = null;
            while (Next(ref reader) == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("input_tokens")) input = ReadInt64(ref reader) ?? 0;
                else if (reader.ValueTextEquals("output_tokens")) output = ReadInt64(ref reader) ?? 0;
                else if (reader.ValueTextEquals("total_tokens")) total = ReadInt64(ref reader) ?? 0;
                else if (reader.ValueTextEquals("input_tokens_details")) ReadDetails(ref reader, ref inText, ref inImage);
                else if (reader.ValueTextEquals("output_tokens_details")) ReadDetails(ref reader, ref outText, ref outImage);
                else SkipValue(ref reader);
            }
            return new ImageUsage
            {
                InputTokens = input,
                OutputTokens = output,
                TotalTokens = total != 0 ? total : input + output,
                InputTextTokens = inText,
                InputImageTokens = inImage,
                OutputImageTokens = outImage,
                OutputTextTokens = outText,
            };
        }

        private static void ReadDetails(ref Utf8JsonReader reader, ref long? text, ref long? image)
        {
            if (Next(ref reader) == JsonTokenType.Null) return;
            if (reader.TokenType != JsonTokenType.StartObject) throw Invalid("a token details field is not an object");
            while (Next(ref reader) == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("text_tokens")) text = ReadInt64(ref reader);
                else if (reader.ValueTextEquals("image_tokens")) image = ReadInt64(ref reader);
                else SkipValue(ref reader);
            }
        }

        internal static string? ReadString(ref Utf8JsonReader reader)
        {
            var token = Next(ref reader);
            if (token == JsonTokenType.Null) return null;
            if (token == JsonTokenType.String) return reader.GetString();
            if (token == JsonTokenType.Number) return System.Text.Encoding.UTF8.GetString(reader.ValueSpan.ToArray());
            SkipCurrent(ref reader);
            return null;
        }

        internal static long? ReadInt64(ref Utf8JsonReader reader)
        {
            var token = Next(ref reader);
            if (token == JsonTokenType.Number && reader.TryGetInt64(out long value)) return value;
            if (token == JsonTokenType.Number && reader.TryGetDouble(out double d)) return (long)d;
            if (token == JsonTokenType.Null || token == JsonTokenType.Number) return null;
            SkipCurrent(ref reader);
            return null;
        }

        internal static void SkipValue(ref Utf8JsonReader reader)
        {
            Next(ref reader);
            SkipCurrent(ref reader);
        }

        private static void SkipCurrent(ref Utf8JsonReader reader)
        {
            if (reader.TokenType == JsonTokenType.StartObject || reader.TokenType == JsonTokenType.StartArray) reader.Skip();
        }

        internal static JsonTokenType Next(ref Utf8JsonReader reader)
        {
            try
            {
                if (!reader.Read()) throw Invalid("the JSON ends early");
            }
            catch (JsonException e)
            {
                throw new InvalidDataException("The response is not valid JSON: " + e.Message, e);
            }
            return reader.TokenType;
        }

        private static void Expect(ref Utf8JsonReader reader, JsonTokenType type)
        {
            if (Next(ref reader) != type) throw Invalid("it is not a JSON object");
        }

        private static InvalidDataException Invalid(string what) => new InvalidDataException("The response is not an Images API response: " + what + ".");
    }
}
