using System.Text;
using System.Text.Json;

namespace OpenAIImages.Tests.FakeApi;

internal sealed record SseEvent(string Name, JsonElement Data, string RawData);

/// <summary>A minimal server-sent events reader (event + data lines, blank line ends an event) for tests.</summary>
internal static class SseReader
{
    public static async Task<List<SseEvent>> ReadAllAsync(Stream stream, CancellationToken ct = default)
    {
        var events = new List<SseEvent>();
        using var reader = new StreamReader(stream, Encoding.UTF8);
        string? name = null;
        var data = new StringBuilder();
        string? line;
        while ((line = await reader.ReadLineAsync(ct)) is not null)
        {
            if (line.Length == 0)
            {
                if (data.Length > 0)
                {
                    string raw = data.ToString();
                    using var document = JsonDocument.Parse(raw);
                    events.Add(new SseEvent(name ?? "message", document.RootElement.Clone(), raw));
                }
                name = null;
                data.Clear();
                continue;
            }
            if (line.StartsWith("event:", StringComparison.Ordinal)) name = line[6..].Trim();
            else if (line.StartsWith("data:", StringComparison.Ordinal)) data.Append(line[5..].TrimStart());
        }
        return events;
    }
}
