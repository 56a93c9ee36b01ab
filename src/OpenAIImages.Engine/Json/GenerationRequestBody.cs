using System.Text.Json.Serialization;

namespace OpenAIImages.Engine.Json
{
    /// <summary>The JSON body of POST /images/generations, field names as the OpenAPI description spells them.</summary>
    internal sealed class GenerationRequestBody
    {
        [JsonPropertyName("model")] public string Model { get; set; } = "";
        [JsonPropertyName("prompt")] public string Prompt { get; set; } = "";
        [JsonPropertyName("n")] public int? N { get; set; }
        [JsonPropertyName("size")] public string? Size { get; set; }
        [JsonPropertyName("quality")] public string? Quality { get; set; }
        [JsonPropertyName("style")] public string? Style { get; set; }
        [JsonPropertyName("background")] public string? Background { get; set; }
        [JsonPropertyName("output_format")] public string? OutputFormat { get; set; }
        [JsonPropertyName("output_compression")] public int? OutputCompression { get; set; }
        [JsonPropertyName("moderation")] public string? Moderation { get; set; }
        [JsonPropertyName("response_format")] public string? ResponseFormat { get; set; }
        [JsonPropertyName("user")] public string? User { get; set; }
        [JsonPropertyName("stream")] public bool? Stream { get; set; }
        [JsonPropertyName("partial_images")] public int? PartialImages { get; set; }
    }
}
