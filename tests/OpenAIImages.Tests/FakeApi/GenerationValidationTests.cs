using System.Net;
using OpenAIImages.FakeApi;
using Xunit;

namespace OpenAIImages.Tests.FakeApi;

public sealed class GenerationValidationTests : IClassFixture<SharedServer>
{
    private readonly FakeOpenAIServer _server;
    private readonly HttpClient _client;

    public GenerationValidationTests(SharedServer shared)
    {
        _server = shared.Server;
        _client = FakeApiHttp.Client(_server);
    }

    public static TheoryData<string, string, string> Rejections() => new()
    {
        // body, param, code
        { """{"model":"gpt-image-1"}""", "prompt", "missing_required_parameter" },
        { """{"prompt":""}""", "prompt", "empty_string" },
        { """{"prompt":42}""", "prompt", "invalid_type" },
        { $$"""{"model":"dall-e-2","prompt":"{{new string('a', 1001)}}"}""", "prompt", "string_above_max_length" },
        { $$"""{"model":"dall-e-3","prompt":"{{new string('a', 4001)}}"}""", "prompt", "string_above_max_length" },
        { $$"""{"model":"gpt-image-1","prompt":"{{new string('a', 32001)}}"}""", "prompt", "string_above_max_length" },
        { """{"prompt":"x","foo":1}""", "foo", "unknown_parameter" },
        { """{"prompt":"x","input_fidelity":"high"}""", "input_fidelity", "unknown_parameter" },
        { """{"prompt":"x","n":0}""", "n", "integer_below_min_value" },
        { """{"prompt":"x","n":11}""", "n", "integer_above_max_value" },
        { """{"prompt":"x","n":"2"}""", "n", "invalid_type" },
        { """{"prompt":"x","n":1.5}""", "n", "invalid_type" },
        { """{"model":"dall-e-3","prompt":"x","n":2}""", "n", "invalid_value" },
        { """{"model":"dall-e-2","prompt":"x","size":"1536x1024"}""", "size", "invalid_value" },
        { """{"model":"dall-e-2","prompt":"x","size":"auto"}""", "size", "invalid_value" },
        { """{"model":"dall-e-3","prompt":"x","size":"256x256"}""", "size", "invalid_value" },
        { """{"model":"gpt-image-1","prompt":"x","size":"1792x1024"}""", "size", "invalid_value" },
        { """{"model":"gpt-image-1","prompt":"x","size":"1536x864"}""", "size", "invalid_value" },
        { """{"model":"gpt-image-2","prompt":"x","size":"1000x1000"}""", "size", "invalid_value" },
        { """{"model":"gpt-image-2","prompt":"x","size":"3856x1024"}""", "size", "invalid_value" },
        { """{"model":"gpt-image-2","prompt":"x","size":"3840x2176"}""", "size", "invalid_value" },
        { """{"model":"gpt-image-2","prompt":"x","size":"1600x528"}""", "size", "invalid_value" },
        { """{"model":"gpt-image-2","prompt":"x","size":"528x1600"}""", "size", "invalid_value" },
        { """{"model":"gpt-image-2","prompt":"x","size":"big"}""", "size", "invalid_value" },
        { """{"model":"gpt-image-1","prompt":"x","quality":"hd"}""", "quality", "invalid_value" },
        { """{"model":"dall-e-3","prompt":"x","quality":"low"}""", "quality", "invalid_value" },
        { """{"model":"dall-e-2","prompt":"x","quality":"high"}""", "quality", "invalid_value" },
        { """{"prompt":"x","quality":"ultra"}""", "quality", "invalid_value" },
        { """{"model":"gpt-image-1","prompt":"x","style":"vivid"}""", "style", "unsupported_parameter" },
        { """{"model":"dall-e-2","prompt":"x","style":"vivid"}""", "style", "unsupported_parameter" },
        { """{"model":"dall-e-3","prompt":"x","style":"moody"}""", "style", "invalid_value" },
        { """{"model":"gpt-image-1","prompt":"x","response_format":"url"}""", "response_format", "unsupported_parameter" },
        { """{"model":"dall-e-2","prompt":"x","response_format":"jpeg"}""", "response_format", "invalid_value" },
        { """{"model":"dall-e-3","prompt":"x","output_format":"png"}""", "output_format", "unsupported_parameter" },
        { """{"model":"dall-e-2","prompt":"x","background":"opaque"}""", "background", "unsupported_parameter" },
        { """{"model":"dall-e-2","prompt":"x","moderation":"low"}""", "moderation", "unsupported_parameter" },
        { """{"model":"dall-e-3","prompt":"x","output_compression":50}""", "output_compression", "unsupported_parameter" },
        { """{"model":"gpt-image-1","prompt":"x","output_format":"gif"}""", "output_format", "invalid_value" },
        { """{"model":"gpt-image-1","prompt":"x","output_format":"jpeg","output_compression":101}""", "output_compression", "integer_above_max_value" },
        { """{"model":"gpt-image-1","prompt":"x","output_format":"webp","output_compression":-1}""", "output_compression", "integer_below_min_value" },
        { """{"model":"gpt-image-1","prompt":"x","output_compression":50}""", "output_compression", "invalid_value" },
        { """{"model":"gpt-image-1","prompt":"x","background":"transparent","output_format":"jpeg"}""", "background", "invalid_value" },
        { """{"model":"gpt-image-1","prompt":"x","background":"clear"}""", "background", "invalid_value" },
        { """{"model":"gpt-image-1","prompt":"x","moderation":"high"}""", "moderation", "invalid_value" },
        { """{"model":"dall-e-3","prompt":"x","stream":true}""", "stream", "unsupported_parameter" },
        { """{"model":"gpt-image-1","prompt":"x","stream":"yes"}""", "stream", "invalid_type" },
        { """{"model":"gpt-image-1","prompt":"x","stream":true,"partial_images":4}""", "partial_images", "integer_above_max_value" },
        { """{"model":"gpt-image-1","prompt":"x","stream":true,"partial_images":-1}""", "partial_images", "integer_below_min_value" },
        { """{"model":"dall-e-2","prompt":"x","partial_images":1}""", "partial_images", "unsupported_parameter" },
        { """{"model":7,"prompt":"x"}""", "model", "invalid_type" },
        { """{"prompt":"x","prompt":"y"}""", "prompt", "duplicate_parameter" },
        { """[{"prompt":"x"}]""", null!, "invalid_type" },
    };

    [Theory]
    [MemberData(nameof(Rejections))]
    public async Task RejectsWithOpenAIErrorShape(string body, string? param, string code)
    {
        var response = await _client.GenerateAsync(body);
        await response.AssertInvalidAsync(param, code);
        var id = response.Headers.GetValues("x-request-id").Single();
        var recorded = _server.Requests.Single(r => r.RequestId == id);
        Assert.Equal((400, code, param), (recorded.ResponseStatus, recorded.ErrorCode, recorded.ErrorParam));
    }

    public static TheoryData<string> Acceptances() => new()
    {
        """{"prompt":"x","model":null,"n":null,"size":null}""",
        """{"model":"gpt-image-1","prompt":"x","output_compression":100}""",
        """{"model":"gpt-image-1","prompt":"x","output_format":"webp","output_compression":0,"quality":"low"}""",
        """{"model":"gpt-image-1","prompt":"x","background":"transparent","output_format":"webp","quality":"low"}""",
        """{"model":"gpt-image-1","prompt":"x","moderation":"low","quality":"low","user":"user-1"}""",
        """{"model":"gpt-image-1","prompt":"x","partial_images":2,"quality":"low"}""",
        """{"model":"dall-e-3","prompt":"x","quality":"standard","style":"vivid","response_format":"b64_json"}""",
        """{"model":"dall-e-2","prompt":"x","quality":"standard","size":"512x512","stream":false}""",
        $$"""{"model":"dall-e-2","prompt":"{{new string('é', 1000)}}","size":"256x256"}""",
    };

    [Theory]
    [MemberData(nameof(Acceptances))]
    public async Task AcceptsWhatTheSpecAllows(string body)
    {
        var response = await _client.GenerateAsync(body);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task MalformedJsonIsRefusedWithTheParseMessage()
    {
        var response = await _client.GenerateAsync("""{"prompt": "x",""");
        var error = await response.AssertInvalidAsync(null, null);
        Assert.Contains("could not parse the JSON body", error.Message);
    }

    [Fact]
    public async Task GenerationsNeedAJsonBody()
    {
        var response = await _client.PostAsync("v1/images/generations", FakeApiHttp.Form(("prompt", "x")));
        await response.AssertInvalidAsync(null, "unsupported_content_type");
    }

    [Fact]
    public async Task TheRequestIsRecordedWithItsParsedJson()
    {
        var response = await _client.GenerateAsync("""{"prompt":"recorded prompt","model":"dall-e-2","size":"256x256","n":2}""");
        var id = response.Headers.GetValues("x-request-id").Single();
        var recorded = _server.Requests.Single(r => r.RequestId == id);
        Assert.Equal("POST", recorded.Method);
        Assert.Equal("/v1/images/generations", recorded.Path);
        Assert.Equal("recorded prompt", recorded.Json!.Value.GetProperty("prompt").GetString());
        Assert.Equal("2", recorded.Field("n"));
        Assert.Equal("Bearer test-key", recorded.Headers["AUTHORIZATION"]);
        Assert.StartsWith("application/json", recorded.ContentType);
        Assert.Equal(200, recorded.ResponseStatus);
        Assert.Null(recorded.Parts);
        Assert.Contains("recorded prompt", recorded.BodyText);
    }
}
