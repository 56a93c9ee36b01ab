using System.Text.Json;

namespace OpenAIImages.FakeApi.Http;

/// <summary>
/// An error in OpenAI's shape: <c>{"error":{"message","type","param","code"}}</c> with an HTTP status and any
/// extra headers (Retry-After and friends). Every rejection the fake makes goes through this one type so clients
/// are tested against one consistent shape.
/// </summary>
public sealed class ApiError
{
    public int Status { get; }
    public string Message { get; }
    public string Type { get; }
    public string? Param { get; }
    public string? Code { get; }
    public IReadOnlyDictionary<string, string> Headers { get; }

    public ApiError(int status, string message, string type, string? param, string? code, IReadOnlyDictionary<string, string>? headers = null)
    {
        Status = status;
        Message = message;
        Type = type;
        Param = param;
        Code = code;
        Headers = headers ?? new Dictionary<string, string>();
    }

    /// <summary>A 400 <c>invalid_request_error</c>, the shape of every validation failure.</summary>
    public static ApiError Invalid(string message, string? param, string? code) =>
        new(400, message, "invalid_request_error", param, code);

    public ApiError WithHeaders(IReadOnlyDictionary<string, string> headers)
    {
        var merged = new Dictionary<string, string>(Headers, StringComparer.OrdinalIgnoreCase);
        foreach (var pair in headers) merged[pair.Key] = pair.Value;
        return new ApiError(Status, Message, Type, Param, Code, merged);
    }

    public byte[] ToJson()
    {
        var buffer = new MemoryStream();
        using (var writer = JsonOutput.Writer(buffer))
        {
            writer.WriteStartObject();
            writer.WritePropertyName("error");
            WriteErrorObject(writer);
            writer.WriteEndObject();
        }
        return buffer.ToArray();
    }

    /// <summary>The inner <c>{message,type,param,code}</c> object, also used inside stream error events.</summary>
    public void WriteErrorObject(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("message", Message);
        writer.WriteString("type", Type);
        if (Param is null) writer.WriteNull("param"); else writer.WriteString("param", Param);
        if (Code is null) writer.WriteNull("code"); else writer.WriteString("code", Code);
        writer.WriteEndObject();
    }
}

/// <summary>Carries an <see cref="ApiError"/> out of deep validation code to the one place that writes responses.</summary>
public sealed class ApiErrorException : Exception
{
    public ApiError Error { get; }
    public ApiErrorException(ApiError error) : base(error.Message) => Error = error;
}
