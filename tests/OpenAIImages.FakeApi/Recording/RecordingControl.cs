using System.Text.Json;
using OpenAIImages.FakeApi.Http;

namespace OpenAIImages.FakeApi.Recording;

/// <summary>
/// The recording, for tests that run the server in its own process (Pester): <c>GET /_fake/requests</c> lists what
/// arrived, oldest first, and <c>DELETE /_fake/requests</c> forgets it. Each entry has the method, path, status,
/// request id and error code, the scalar fields (form fields, or the JSON body's top-level values as text), the
/// uploaded files (part name, file name, content type, length; never their bytes) and, for a JSON body, the body
/// itself. Kept apart from the API routes, like /_fake/traffic.
/// </summary>
internal sealed class RecordingControl
{
    public const string Path = "/_fake/requests";

    private readonly RequestLog _log;

    public RecordingControl(RequestLog log) => _log = log;

    public async Task HandleAsync(HttpContext context)
    {
        if (HttpMethods.IsDelete(context.Request.Method))
        {
            _log.Clear();
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            return;
        }
        if (!HttpMethods.IsGet(context.Request.Method))
        {
            context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            return;
        }
        context.Response.ContentType = "application/json";
        using var body = new MemoryStream();
        using (var writer = JsonOutput.Writer(body))
        {
            writer.WriteStartArray();
            foreach (var request in _log.Snapshot()) Write(writer, request);
            writer.WriteEndArray();
        }
        await context.Response.Body.WriteAsync(body.ToArray(), context.RequestAborted);
    }

    private static void Write(Utf8JsonWriter writer, RecordedRequest request)
    {
        writer.WriteStartObject();
        writer.WriteNumber("sequence", request.Sequence);
        writer.WriteString("method", request.Method);
        writer.WriteString("path", request.Path);
        writer.WriteNumber("status", request.ResponseStatus);
        writer.WriteString("requestId", request.RequestId);
        writer.WriteString("errorCode", request.ErrorCode);
        writer.WriteBoolean("streamed", request.Streamed);
        writer.WriteStartObject("fields");
        if (request.Parts is not null)
        {
            foreach (var part in request.Parts.Where(p => !p.IsFile)) writer.WriteString(part.Name, part.Text);
        }
        else if (request.Json is { ValueKind: JsonValueKind.Object } root)
        {
            foreach (var property in root.EnumerateObject())
            {
                if (property.Value.ValueKind is JsonValueKind.Object or JsonValueKind.Array) continue;
                writer.WriteString(property.Name, property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : property.Value.GetRawText());
            }
        }
        writer.WriteEndObject();
        writer.WriteStartArray("files");
        foreach (var part in request.Parts?.Where(p => p.IsFile) ?? Enumerable.Empty<MultipartPart>())
        {
            writer.WriteStartObject();
            writer.WriteString("name", part.Name);
            writer.WriteString("fileName", part.FileName);
            writer.WriteString("contentType", part.ContentType);
            writer.WriteNumber("length", part.Data.Length);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        if (request.Json is JsonElement json)
        {
            writer.WritePropertyName("json");
            json.WriteTo(writer);
        }
        writer.WriteEndObject();
    }
}
