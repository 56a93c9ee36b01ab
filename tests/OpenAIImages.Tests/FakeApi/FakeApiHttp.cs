using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using OpenAIImages.FakeApi;
using Xunit;

namespace OpenAIImages.Tests.FakeApi;

/// <summary>The error body as the fake sent it.</summary>
internal sealed record ErrorBody(int Status, string Message, string Type, string? Param, string? Code);

/// <summary>Raw HttpClient helpers: the fake is tested with plain HTTP, never with the product's client.</summary>
internal static class FakeApiHttp
{
    public const string Key = "test-key";

    public static HttpClient Client(FakeOpenAIServer server, string? key = Key)
    {
        var client = new HttpClient { BaseAddress = server.Root, Timeout = TimeSpan.FromSeconds(30) };
        if (key is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    public static Task<HttpResponseMessage> GenerateAsync(this HttpClient client, string json) =>
        client.PostAsync("v1/images/generations", Json(json));

    public static async Task<JsonElement> ReadJsonAsync(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    /// <summary>Reads an error answer and checks it has OpenAI's shape: all four fields present, message and type strings.</summary>
    public static async Task<ErrorBody> ReadErrorAsync(this HttpResponseMessage response)
    {
        var root = await response.ReadJsonAsync();
        var error = root.GetProperty("error");
        Assert.Equal(JsonValueKind.String, error.GetProperty("message").ValueKind);
        Assert.Equal(JsonValueKind.String, error.GetProperty("type").ValueKind);
        Assert.True(error.TryGetProperty("param", out var param), "error.param must be present (null or string)");
        Assert.True(error.TryGetProperty("code", out var code), "error.code must be present (null or string)");
        return new ErrorBody((int)response.StatusCode, error.GetProperty("message").GetString()!, error.GetProperty("type").GetString()!,
            param.ValueKind == JsonValueKind.Null ? null : param.GetString(),
            code.ValueKind == JsonValueKind.Null ? null : code.GetString());
    }

    /// <summary>The decoded b64_json images of an ImagesResponse.</summary>
    public static List<byte[]> Images(JsonElement root) =>
        root.GetProperty("data").EnumerateArray().Select(d => Convert.FromBase64String(d.GetProperty("b64_json").GetString()!)).ToList();

    public static ByteArrayContent File(byte[] data, string? mediaType)
    {
        var content = new ByteArrayContent(data);
        if (mediaType is not null) content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        return content;
    }

    /// <summary>A form with text fields; add files with <see cref="AddFile"/>.</summary>
    public static MultipartFormDataContent Form(params (string Name, string Value)[] fields)
    {
        var form = new MultipartFormDataContent();
        foreach (var (name, value) in fields) form.Add(new StringContent(value), name);
        return form;
    }

    public static MultipartFormDataContent AddFile(this MultipartFormDataContent form, string name, byte[] data, string? mediaType = "image/png", string fileName = "image.png")
    {
        form.Add(File(data, mediaType), name, fileName);
        return form;
    }

    /// <summary>Asserts a 400 invalid_request_error with the given param and code.</summary>
    public static async Task<ErrorBody> AssertInvalidAsync(this HttpResponseMessage response, string? param, string? code)
    {
        var error = await response.ReadErrorAsync();
        Assert.True(error.Status == 400, $"expected 400 but got {error.Status}: {error.Message}");
        Assert.Equal("invalid_request_error", error.Type);
        Assert.Equal((param, code), (error.Param, error.Code));
        Assert.StartsWith("req_", response.Headers.GetValues("x-request-id").Single());
        return error;
    }
}
