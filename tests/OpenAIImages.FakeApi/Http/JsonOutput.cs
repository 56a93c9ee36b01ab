using System.Text.Encodings.Web;
using System.Text.Json;

namespace OpenAIImages.FakeApi.Http;

/// <summary>One writer setup for every JSON the fake sends.</summary>
internal static class JsonOutput
{
    // Messages quote parameters as 'name'; the default encoder would send \u0027, which the real API does not.
    // These bodies go to API clients, never into HTML, so the relaxed encoder is safe.
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Utf8JsonWriter Writer(Stream stream) => new(stream, Options);
}
