using System.Text.Json.Serialization;

namespace OpenAIImages.Engine.Json
{
    /// <summary>Source-generated serializers: no reflection at run time, and nothing to warm up on first use.</summary>
    [JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
    [JsonSerializable(typeof(GenerationRequestBody))]
    [JsonSerializable(typeof(EditJsonRequestBody))]
    [JsonSerializable(typeof(string))]
    [JsonSerializable(typeof(Batches.BatchJournal))]
    internal sealed partial class EngineJsonContext : JsonSerializerContext
    {
    }
}
