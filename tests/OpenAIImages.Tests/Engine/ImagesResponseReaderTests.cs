using System.Net;
using System.Text;
using OpenAIImages.Engine.Http;
using OpenAIImages.Engine.Results;
using Xunit;

namespace OpenAIImages.Tests.Engine;

public class ImagesResponseReaderTests
{
    [Fact]
    public void ReadsEveryFieldOfTheSpec()
    {
        var first = new byte[] { 1, 2, 3, 4, 5 };
        var second = Enumerable.Range(0, 1000).Select(i => (byte)i).ToArray();
        string json = $$"""
        {"created": 1713833628, "data": [{"b64_json": "{{Convert.ToBase64String(first)}}", "revised_prompt": "a red cat"}, {"b64_json": "{{Convert.ToBase64String(second)}}"}],
         "background": "transparent", "output_format": "png", "size": "1024x1024", "quality": "high",
         "usage": {"total_tokens": 100, "input_tokens": 50, "output_tokens": 50, "input_tokens_details": {"text_tokens": 10, "image_tokens": 40 }, "output_tokens_details": {"image_tokens": 50, "text_tokens": 0} },
         "something_new": {"nested": [1, 2, {"x": null}] } }
        """;
        var response = ImagesResponseReader.Read(Encoding.UTF8.GetBytes(json));
        Assert.Equal(1713833628, response.Created);
        Assert.Equal(2, response.Data.Count);
        Assert.Equal(first, response.Data[0].Bytes);
        Assert.Equal(second, response.Data[1].Bytes);
        Assert.Equal("a red cat", response.Data[0].RevisedPrompt);
        Assert.Equal("transparent", response.Background);
        Assert.Equal("png", response.OutputFormat);
        Assert.Equal("1024x1024", response.Size);
        Assert.Equal("high", response.Quality);
        Assert.Equal(100, response.Usage!.TotalTokens);
        Assert.Equal(40, response.Usage.InputImageTokens);
        Assert.Equal(10, response.Usage.InputTextTokens);
        Assert.Equal(50, response.Usage.OutputImageTokens);
    }

    [Fact]
    public void ReadsUrlsAndEscapedBase64()
    {
        var bytes = Enumerable.Range(0, 300).Select(i => (byte)(i * 7)).ToArray();
        string escaped = Convert.ToBase64String(bytes).Replace("/", "\\/");
        string json = $$"""{"created": 1, "data": [{"url": "https://example.test/a.png"}, {"b64_json": "{{escaped}}"}]}""";
        var response = ImagesResponseReader.Read(Encoding.UTF8.GetBytes(json));
        Assert.Equal("https://example.test/a.png", response.Data[0].Url);
        Assert.Null(response.Data[0].Bytes);
        Assert.Equal(bytes, response.Data[1].Bytes);
    }

    [Fact]
    public async Task AnEmptyB64JsonIsNoImageAndTheUrlBesideItIsUsed()
    {
        string json = "{\"created\": 1, \"data\": [{\"b64_json\": \"\", \"url\": \"https://example.test/a.png\"}]}";
        var body = await ResponseBody.ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(json)), null, 1 << 20, CancellationToken.None);
        using var response = new ApiResponse(body, "req_1", 200);
        var image = Assert.Single(OpenAIImages.Engine.OpenAIImageClient.ToImages(response, OpenAIImages.Engine.Validation.ImageRequestValidator.Prepare(new OpenAIImages.Engine.Requests.ImageGenerationRequest { Prompt = "x" })));
        Assert.Null(image.Bytes);
        Assert.Equal(new Uri("https://example.test/a.png"), image.Url);

        string onlyEmpty = "{\"created\": 1, \"data\": [{\"b64_json\": \"\"}]}";
        var emptyBody = await ResponseBody.ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(onlyEmpty)), null, 1 << 20, CancellationToken.None);
        using var emptyResponse = new ApiResponse(emptyBody, "req_2", 200);
        var error = Assert.Throws<OpenAITransportException>(() => OpenAIImages.Engine.OpenAIImageClient.ToImages(emptyResponse, OpenAIImages.Engine.Validation.ImageRequestValidator.Prepare(new OpenAIImages.Engine.Requests.ImageGenerationRequest { Prompt = "x" })));
        Assert.Equal(OpenAITransportException.ResponseInvalid, error.ErrorId);
    }

    [Theory]
    [InlineData(1713833628000, false)]
    [InlineData(-99999999999999, false)]
    [InlineData(1713833628, true)]
    public async Task ACreatedTimeOutsideTheCalendarCostsTheTimeNotTheImages(long created, bool known)
    {
        var bytes = PngShaped.Around(new byte[] { 9, 8, 7 });
        string json = "{\"created\": " + created + ", \"data\": [{\"b64_json\": \"" + Convert.ToBase64String(bytes) + "\"}]}";
        var body = await ResponseBody.ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(json)), null, 1 << 20, CancellationToken.None);
        using var response = new ApiResponse(body, "req_1", 200);
        var image = Assert.Single(OpenAIImages.Engine.OpenAIImageClient.ToImages(response, OpenAIImages.Engine.Validation.ImageRequestValidator.Prepare(new OpenAIImages.Engine.Requests.ImageGenerationRequest { Prompt = "x" })));
        Assert.Equal(bytes, image.Bytes);
        Assert.Equal(known ? DateTimeOffset.FromUnixTimeSeconds(created) : null, image.Created);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    [InlineData("{\"data\": \"nope\"}")]
    [InlineData("{\"data\": [{\"b64_json\": \"abc\"}]}")]
    [InlineData("{\"data\": [{\"b64_json\": \"ab$=\"}]}")]
    [InlineData("{\"data\": [{\"b64_json\": \"AAAA\"}]")]
    public void MalformedResponsesAreRefused(string json)
    {
        Assert.Throws<InvalidDataException>(() => ImagesResponseReader.Read(Encoding.UTF8.GetBytes(json)));
    }

    [Fact]
    public void ErrorBodiesBecomeTypedExceptions()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.BadRequest);
        response.Headers.Add("x-request-id", "req_abc123");
        var body = """{"error": {"message": "Invalid size.", "type": "invalid_request_error", "param": "size", "code": "invalid_value"}}"""u8;
        var error = ApiErrorReader.Read(response, body);
        Assert.Equal(400, error.StatusCode);
        Assert.Equal("invalid_request_error", error.ErrorType);
        Assert.Equal("size", error.Param);
        Assert.Equal("invalid_value", error.Code);
        Assert.Equal("Invalid size.", error.ApiMessage);
        Assert.Equal("req_abc123", error.RequestId);
        Assert.Equal("OpenAIBadRequest", error.ErrorId);
        Assert.Contains("req_abc123", error.Message);
        Assert.Contains("Invalid size.", error.Message);
    }

    [Fact]
    public void RateLimitsCarryTheWaitAndQuotaIsTold()
    {
        using var limited = new HttpResponseMessage((HttpStatusCode)429);
        limited.Headers.Add("retry-after", "7");
        var rate = ApiErrorReader.Read(limited, """{"error": {"message": "Slow down", "type": "requests", "param": null, "code": "rate_limit_exceeded"}}"""u8);
        Assert.Equal("OpenAIRateLimited", rate.ErrorId);
        Assert.Equal(TimeSpan.FromSeconds(7), rate.RetryAfter);

        using var quota = new HttpResponseMessage((HttpStatusCode)429);
        quota.Headers.Add("retry-after-ms", "250");
        var noQuota = ApiErrorReader.Read(quota, """{"error": {"message": "You exceeded your current quota", "type": "insufficient_quota", "param": null, "code": "insufficient_quota"}}"""u8);
        Assert.Equal("OpenAIQuotaExceeded", noQuota.ErrorId);
        Assert.Equal(TimeSpan.FromMilliseconds(250), noQuota.RetryAfter);
    }

    [Theory]
    [InlineData("retry-after", "1e300")]
    [InlineData("retry-after", "Infinity")]
    [InlineData("retry-after-ms", "99999999999999999999")]
    public void AnAbsurdWaitIsTheLongestWaitNotAnOverflow(string header, string value)
    {
        using var limited = new HttpResponseMessage((HttpStatusCode)429);
        limited.Headers.TryAddWithoutValidation(header, value);
        var error = ApiErrorReader.Read(limited, """{"error": {"message": "Slow down", "type": "requests", "param": null, "code": "rate_limit_exceeded"}}"""u8);
        Assert.Equal("OpenAIRateLimited", error.ErrorId);
        Assert.Equal(TimeSpan.MaxValue, error.RetryAfter);
        Assert.Null(RetryPolicy.Default.DelayBefore(1, error.RetryAfter));
    }

    [Fact]
    public void NonJsonErrorBodiesAreQuoted()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.BadGateway) { ReasonPhrase = "Bad Gateway" };
        var error = ApiErrorReader.Read(response, "<html>upstream down</html>"u8);
        Assert.Equal(502, error.StatusCode);
        Assert.Equal("OpenAIServerError", error.ErrorId);
        Assert.Contains("upstream down", error.ApiMessage);
    }
}
