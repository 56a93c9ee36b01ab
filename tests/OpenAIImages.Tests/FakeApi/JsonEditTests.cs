using System.Net;
using OpenAIImages.FakeApi;
using OpenAIImages.FakeApi.Responses;
using Xunit;

namespace OpenAIImages.Tests.FakeApi;

public sealed class JsonEditTests : IClassFixture<SharedServer>
{
    private readonly FakeOpenAIServer _server;
    private readonly HttpClient _client;

    public JsonEditTests(SharedServer shared)
    {
        _server = shared.Server;
        _client = FakeApiHttp.Client(_server);
    }

    private Task<HttpResponseMessage> EditAsync(string json) => _client.PostAsync("v1/images/edits", FakeApiHttp.Json(json));

    private static string DataUrl(byte[] png) => "data:image/png;base64," + Convert.ToBase64String(png);

    [Fact]
    public async Task UrlAndFileReferencesAreAcceptedAndCounted()
    {
        var response = await EditAsync("""
            {"model":"gpt-image-1.5","prompt":"snowy mountains","quality":"low",
             "images":[{"image_url":"https://example.com/a.png"},{"file_id":"file-abc123"}],
             "mask":{"file_id":"file-mask123"}}
            """);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var root = await response.ReadJsonAsync();
        Assert.Equal(2 * TokenTable.InputImageTokens, root.GetProperty("usage").GetProperty("input_tokens_details").GetProperty("image_tokens").GetInt32());
        var recorded = _server.Requests.Single(r => r.RequestId == response.Headers.GetValues("x-request-id").Single());
        Assert.Equal("file-abc123", recorded.Json!.Value.GetProperty("images")[1].GetProperty("file_id").GetString());
    }

    [Fact]
    public async Task DataUrlsAreDecodedAndCheckedLikeUploads()
    {
        string image = DataUrl(TestImages.SolidPng(32, 32, 10, 20, 30));
        string mask = DataUrl(TestImages.LeftHalfMask(32, 32));
        var ok = await EditAsync($$$"""{"prompt":"x","quality":"low","images":[{"image_url":"{{{image}}}"}],"mask":{"image_url":"{{{mask}}}"}}""");
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);

        string wrongMask = DataUrl(TestImages.LeftHalfMask(16, 16));
        var mismatch = await EditAsync($$$"""{"prompt":"x","images":[{"image_url":"{{{image}}}"}],"mask":{"image_url":"{{{wrongMask}}}"}}""");
        await mismatch.AssertInvalidAsync("mask", "mask_size_mismatch");
    }

    public static TheoryData<string, string?, string> Rejections() => new()
    {
        { """{"prompt":"x"}""", "images", "missing_required_parameter" },
        { """{"prompt":"x","images":{"file_id":"f"}}""", "images", "invalid_type" },
        { """{"prompt":"x","images":[]}""", "images", "array_below_min_length" },
        { "{\"prompt\":\"x\",\"images\":[" + string.Join(",", Enumerable.Repeat("{\"file_id\":\"f\"}", 17)) + "]}", "images", "array_above_max_length" },
        { """{"prompt":"x","images":["https://example.com/a.png"]}""", "images[0]", "invalid_type" },
        { """{"prompt":"x","images":[{"image_url":"https://e.com/a.png","file_id":"f"}]}""", "images[0]", "invalid_value" },
        { """{"prompt":"x","images":[{}]}""", "images[0]", "invalid_value" },
        { """{"prompt":"x","images":[{"file_id":"f"},{"url":"https://e.com/a.png"}]}""", "images[1].url", "unknown_parameter" },
        { """{"prompt":"x","images":[{"file_id":7}]}""", "images[0].file_id", "invalid_type" },
        { """{"prompt":"x","images":[{"image_url":"not a url"}]}""", "images[0].image_url", "invalid_value" },
        { """{"prompt":"x","images":[{"image_url":"ftp://e.com/a.png"}]}""", "images[0].image_url", "invalid_value" },
        { """{"prompt":"x","images":[{"image_url":"data:image/png;base64,@@@"}]}""", "images[0].image_url", "invalid_value" },
        { """{"prompt":"x","images":[{"image_url":"data:image/gif;base64,R0lGODlh"}]}""", "image", "unsupported_file_mimetype" },
        { """{"prompt":"x","images":[{"file_id":"f"}],"mask":{"file_id":"m","image_url":"https://e.com/m.png"}}""", "mask", "invalid_value" },
        { """{"prompt":"","images":[{"file_id":"f"}]}""", "prompt", "empty_string" },
        { """{"images":[{"file_id":"f"}]}""", "prompt", "missing_required_parameter" },
        { """{"prompt":"x","images":[{"file_id":"f"}],"model":"dall-e-2"}""", "model", "invalid_value" },
        { """{"prompt":"x","images":[{"file_id":"f"}],"model":"gpt-image-2","size":"1536x864"}""", "size", "invalid_value" },
        { """{"prompt":"x","images":[{"file_id":"f"}],"quality":"standard"}""", "quality", "invalid_value" },
        { """{"prompt":"x","images":[{"file_id":"f"}],"response_format":"b64_json"}""", "response_format", "unknown_parameter" },
        { """{"prompt":"x","images":[{"file_id":"f"}],"image":"abc"}""", "image", "unknown_parameter" },
        { """{"prompt":"x","images":[{"file_id":"f"}],"model":"gpt-image-1-mini","input_fidelity":"high"}""", "input_fidelity", "unsupported_parameter" },
        { """{"prompt":"x","images":[{"file_id":"f"}],"moderation":"strict"}""", "moderation", "invalid_value" },
        { """{"prompt":"x","images":[{"file_id":"f"}],"n":0}""", "n", "integer_below_min_value" },
    };

    [Theory]
    [MemberData(nameof(Rejections))]
    public async Task RejectsWithOpenAIErrorShape(string body, string? param, string code)
    {
        await (await EditAsync(body)).AssertInvalidAsync(param, code);
    }

    [Fact]
    public async Task EditsRefuseOtherContentTypes()
    {
        var response = await _client.PostAsync("v1/images/edits", new StringContent("prompt=x", System.Text.Encoding.UTF8, "application/x-www-form-urlencoded"));
        await response.AssertInvalidAsync(null, "unsupported_content_type");
    }
}
