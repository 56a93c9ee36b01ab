using System.Text;
using System.Text.Json;
using OpenAIImages.FakeApi.Faults;

namespace OpenAIImages.FakeApi.Recording;

/// <summary>
/// What the fake received and what it answered. The request side is raw (bytes, headers) and parsed (the JSON root
/// or the ordered multipart parts), so tests assert on what actually crossed the wire, not on what a client meant.
/// </summary>
public sealed class RecordedRequest
{
    /// <summary>1-based arrival order across the server's life (not reset by ClearRequests).</summary>
    public required int Sequence { get; init; }
    public required DateTimeOffset ReceivedAt { get; init; }
    public required string Method { get; init; }
    public required string Path { get; init; }

    /// <summary>The raw query string including the leading '?', or empty.</summary>
    public required string Query { get; init; }

    /// <summary>Request headers, case-insensitive; repeated headers are joined with ", ".</summary>
    public required IReadOnlyDictionary<string, string> Headers { get; init; }
    public required string? ContentType { get; init; }
    public required byte[] Body { get; init; }

    public required ApiShape Shape { get; init; }
    public required ApiOperation Operation { get; init; }

    /// <summary>The Azure deployment name from the path, when the deployment shape was used.</summary>
    public required string? Deployment { get; init; }

    /// <summary>The <c>api-version</c> query value, when present.</summary>
    public required string? ApiVersion { get; init; }

    /// <summary>The JSON body's root (cloned, so it outlives the document), when the body parsed as JSON.</summary>
    public JsonElement? Json { get; internal set; }

    /// <summary>Multipart parts in the order sent, when the body parsed as multipart/form-data.</summary>
    public IReadOnlyList<MultipartPart>? Parts { get; internal set; }

    /// <summary>The status the fake answered with; 499 when the client went away before an answer.</summary>
    public int ResponseStatus { get; internal set; }

    /// <summary>The <c>x-request-id</c> the fake sent.</summary>
    public required string RequestId { get; init; }

    /// <summary>The <c>error.code</c> of an error answer (validation or injected).</summary>
    public string? ErrorCode { get; internal set; }

    /// <summary>The <c>error.param</c> of an error answer.</summary>
    public string? ErrorParam { get; internal set; }

    /// <summary>The fault rule that fired for this request, if any.</summary>
    public FaultRule? Fault { get; internal set; }

    /// <summary>The fired rule's name (or its kind when unnamed), for assertions and logs.</summary>
    public string? FaultName => Fault?.DisplayName;

    /// <summary>True when the answer was a server-sent event stream.</summary>
    public bool Streamed { get; internal set; }

    /// <summary>The request's body as UTF-8 text (for JSON bodies and logging).</summary>
    public string BodyText => Encoding.UTF8.GetString(Body);

    /// <summary>The parts with this exact name, in order (e.g. every <c>image[]</c>).</summary>
    public IReadOnlyList<MultipartPart> PartsNamed(string name) =>
        Parts?.Where(p => p.Name == name).ToList() ?? new List<MultipartPart>();

    /// <summary>A scalar field as text: a form field's value or a JSON property's raw text (strings unquoted).</summary>
    public string? Field(string name)
    {
        if (Parts is not null)
            return Parts.FirstOrDefault(p => p.Name == name && !p.IsFile)?.Text;
        if (Json is { ValueKind: JsonValueKind.Object } root && root.TryGetProperty(name, out var value))
            return value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText();
        return null;
    }

    public override string ToString() => $"#{Sequence} {Method} {Path}{Query} -> {ResponseStatus}{(FaultName is null ? "" : $" [{FaultName}]")}";
}
