using System;
using System.Text;
using System.Text.Json;

namespace OpenAIImages.Engine.Http
{
    /// <summary>
    /// Text of a request body fit for debug output: long strings (base64 images, data URLs) are replaced by their
    /// length, so debug logs stay readable and carry no image payloads. Bodies never hold credentials.
    /// </summary>
    internal static class RequestRedactor
    {
        private const int MaxShownString = 200;

        public static string DescribeJson(byte[] json)
        {
            try
            {
                using var document = JsonDocument.Parse(json);
                var builder = new StringBuilder();
                Describe(document.RootElement, builder);
                return builder.ToString();
            }
            catch (JsonException)
            {
                return $"({json.Length} bytes, not JSON)";
            }
        }

        private static void Describe(JsonElement element, StringBuilder builder)
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.Object:
                    builder.Append('{');
                    bool first = true;
                    foreach (var property in element.EnumerateObject())
                    {
                        if (!first) builder.Append(", ");
                        first = false;
                        builder.Append(property.Name).Append(": ");
                        Describe(property.Value, builder);
                    }
                    builder.Append('}');
                    break;
                case JsonValueKind.Array:
                    builder.Append('[');
                    int index = 0;
                    foreach (var item in element.EnumerateArray())
                    {
                        if (index++ > 0) builder.Append(", ");
                        Describe(item, builder);
                    }
                    builder.Append(']');
                    break;
                case JsonValueKind.String:
                    string text = element.GetString() ?? "";
                    if (text.Length > MaxShownString) builder.Append("(").Append(text.Length).Append(" characters)");
                    else builder.Append(JsonSerializer.Serialize(text, Json.EngineJsonContext.Default.String));
                    break;
                default:
                    builder.Append(element.GetRawText());
                    break;
            }
        }
    }
}
