using System.Collections.Generic;
using System.Text.Json.Serialization;

namespace OpenAIImages.Engine.Json
{
    /// <summary>The JSON body of POST /images/edits (EditImageBodyJsonParam): images by URL or file id.</summary>
    internal sealed class EditJsonRequestBody
    {
        [JsonPropertyName("model")] public string Model { get; set; } = "";
        [JsonPropertyName("prompt")] public string Prompt { get; set; } = "";
        [JsonPropertyName("images")] public List<ImageRefBody> Images { get; set; } = new List<ImageRefBody>();
        [JsonPropertyName("mask")] public ImageRefBody? Mask { get; set; }
        [JsonPropertyName("n")] public int? N { get; set; }
        [JsonPropertyName("size")] public string? Size { get; set; }
        [JsonPropertyName("quality")] public string? Quality { get; set; }
        [JsonPropertyName("input_fidelity")] public string? InputFidelity { get; set; }
        [JsonPropertyName("background")] public string? Background { get; set; }
        [JsonPropertyName("output_format")] public string? OutputFormat { get; set; }
        [JsonPropertyName("output_compression")] public int? OutputCompression { get; set; }
        [JsonPropertyName("moderation")] public string? Moderation { get; set; }
        [JsonPropertyName("user")] public string? User { get; set; }
        [JsonPropertyName("stream")] public bool? Stream { get; set; }
        [JsonPropertyName("partial_images")] public int? PartialImages { get; set; }
    }

    /// <summary>ImageRefParam: exactly one of image_url and file_id.</summary>
    internal sealed class ImageRefBody
    {
        [JsonPropertyName("image_url")] public string? ImageUrl { get; set; }
        [JsonPropertyName("file_id")] public string? FileId { get; set; }
    }
}
