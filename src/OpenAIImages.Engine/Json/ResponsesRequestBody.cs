using System;
using System.IO;
using System.Text.Json;
using OpenAIImages.Engine.Requests;

namespace OpenAIImages.Engine.Json
{
    /// <summary>
    /// The body of POST /v1/responses for the image tool (CreateResponse): the prompt and input images as one user
    /// message, the image_generation tool with the image options, tool_choice forcing it, and previous_response_id
    /// when continuing. Written with Utf8JsonWriter: the input is a list of differently shaped items, and images go
    /// as data URLs, which the source-generated context would first have to hold as strings in a model.
    /// </summary>
    internal static class ResponsesRequestBody
    {
        public static byte[] Write(PreparedRequest prepared, PromptedImageRequest request)
        {
            var edit = request as ImageEditRequest;
            var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartObject();
                writer.WriteString("model", request.ResponsesModel);
                writer.WriteStartArray("input");
                writer.WriteStartObject();
                writer.WriteString("role", "user");
                writer.WriteStartArray("content");
                writer.WriteStartObject();
                writer.WriteString("type", "input_text");
                writer.WriteString("text", request.Prompt);
                writer.WriteEndObject();
                if (edit != null)
                {
                    foreach (var image in edit.Images) WriteInputImage(writer, DataUrl(image), null);
                    foreach (var reference in edit.References) WriteInputImage(writer, reference.ImageUrl, reference.FileId);
                }
                writer.WriteEndArray();
                writer.WriteEndObject();
                writer.WriteEndArray();

                writer.WriteStartArray("tools");
                writer.WriteStartObject();
                writer.WriteString("type", "image_generation");
                writer.WriteString("model", prepared.WireModel);
                if (prepared.SizeText != null) writer.WriteString("size", prepared.SizeText);
                if (prepared.Quality != null) writer.WriteString("quality", prepared.Quality);
                if (prepared.Background != null) writer.WriteString("background", prepared.Background);
                if (prepared.OutputFormat != null) writer.WriteString("output_format", prepared.OutputFormat);
                if (request.OutputCompression is int compression) writer.WriteNumber("output_compression", compression);
                if (prepared.Moderation != null) writer.WriteString("moderation", prepared.Moderation);
                if (prepared.InputFidelity != null) writer.WriteString("input_fidelity", prepared.InputFidelity);
                if (request.Stream && request.PartialImages is int partials) writer.WriteNumber("partial_images", partials);
                if (edit?.Mask != null || edit?.MaskReference != null)
                {
                    writer.WriteStartObject("input_image_mask");
                    if (edit!.Mask != null) writer.WriteString("image_url", DataUrl(edit.Mask));
                    else if (edit.MaskReference!.FileId != null) writer.WriteString("file_id", edit.MaskReference.FileId);
                    else writer.WriteString("image_url", edit.MaskReference.ImageUrl);
                    writer.WriteEndObject();
                }
                // An edit says so, so that the model edits the image it is given or the one it made before.
                writer.WriteString("action", edit != null ? "edit" : "generate");
                writer.WriteEndObject();
                writer.WriteEndArray();

                // The user asked for an image: the tool is not optional.
                writer.WriteStartObject("tool_choice");
                writer.WriteString("type", "image_generation");
                writer.WriteEndObject();
                if (request.PreviousResponseId != null) writer.WriteString("previous_response_id", request.PreviousResponseId);
                if (!request.Store) writer.WriteBoolean("store", false);
                if (request.User != null) writer.WriteString("user", request.User);
                if (request.Stream) writer.WriteBoolean("stream", true);
                writer.WriteEndObject();
            }
            return buffer.ToArray();
        }

        private static void WriteInputImage(Utf8JsonWriter writer, string? url, string? fileId)
        {
            writer.WriteStartObject();
            writer.WriteString("type", "input_image");
            if (fileId != null) writer.WriteString("file_id", fileId);
            else writer.WriteString("image_url", url);
            // InputImageContent requires detail; auto lets the model choose, as the SDKs default.
            writer.WriteString("detail", "auto");
            writer.WriteEndObject();
        }

        private static string DataUrl(ImageInput image) =>
            "data:" + Imaging.ImageFormatExtensions.MediaType(image.Format) + ";base64," + Convert.ToBase64String(image.Data);
    }
}
