using System.Net;
using OpenAIImages.Engine.Imaging;
using OpenAIImages.FakeApi;
using OpenAIImages.FakeApi.Imaging;
using Xunit;

namespace OpenAIImages.Tests.FakeApi;

public sealed class VariationTests : IClassFixture<SharedServer>
{
    private readonly HttpClient _client;

    public VariationTests(SharedServer shared) => _client = FakeApiHttp.Client(shared.Server);

    private Task<HttpResponseMessage> VaryAsync(MultipartFormDataContent form) => _client.PostAsync("v1/images/variations", form);

    [Fact]
    public async Task DallE2VariationsAnswerWithUrlsByDefault()
    {
        var form = FakeApiHttp.Form(("n", "2"), ("size", "512x512")).AddFile("image", TestImages.SolidPng(64, 64, 100, 50, 0));
        var response = await VaryAsync(form);
        var root = await response.ReadJsonAsync();
        var urls = root.GetProperty("data").EnumerateArray().Select(d => d.GetProperty("url").GetString()!).ToList();
        Assert.Equal(2, urls.Count);
        foreach (var url in urls)
        {
            var info = ImageInfo.TryRead(await _client.GetByteArrayAsync(url))!;
            Assert.Equal((ImageFormat.Png, 512, 512), (info.Format, info.Width, info.Height));
        }
        Assert.False(root.TryGetProperty("usage", out _));
    }

    [Fact]
    public async Task VariationsDependOnTheInputImage()
    {
        async Task<byte[]> Vary(byte shade)
        {
            var form = FakeApiHttp.Form(("response_format", "b64_json"), ("size", "256x256")).AddFile("image", TestImages.SolidPng(32, 32, shade, shade, shade));
            return FakeApiHttp.Images(await (await VaryAsync(form)).ReadJsonAsync()).Single();
        }
        Assert.NotEqual(await Vary(10), await Vary(200));
        Assert.Equal(await Vary(10), await Vary(10));
    }

    public static TheoryData<string, string?, string> Rejections() => new()
    {
        { "gpt model", "model", "invalid_value" },
        { "no image", "image", "missing_required_parameter" },
        { "image[]", "image[]", "unknown_parameter" },
        { "two images", "image", "duplicate_parameter" },
        { "not square", "image", "image_not_square" },
        { "jpeg", "image", "unsupported_file_mimetype" },
        { "size", "size", "invalid_value" },
        { "n 11", "n", "integer_above_max_value" },
        { "prompt", "prompt", "unknown_parameter" },
        { "response_format", "response_format", "invalid_value" },
    };

    [Theory]
    [MemberData(nameof(Rejections))]
    public async Task RejectsWithOpenAIErrorShape(string @case, string? param, string code)
    {
        var png = TestImages.SolidPng(32, 32, 1, 2, 3);
        var form = @case switch
        {
            "gpt model" => FakeApiHttp.Form(("model", "gpt-image-1")).AddFile("image", png),
            "no image" => FakeApiHttp.Form(("n", "1")),
            "image[]" => FakeApiHttp.Form().AddFile("image[]", png),
            "two images" => FakeApiHttp.Form().AddFile("image", png).AddFile("image", png),
            "not square" => FakeApiHttp.Form().AddFile("image", TestImages.SolidPng(32, 16, 1, 2, 3)),
            "jpeg" => FakeApiHttp.Form().AddFile("image", JpegWriter.Encode(32, 32, TestImages.Solid(32, 32, 1, 2, 3)), "image/jpeg"),
            "size" => FakeApiHttp.Form(("size", "1024x1536")).AddFile("image", png),
            "n 11" => FakeApiHttp.Form(("n", "11")).AddFile("image", png),
            "prompt" => FakeApiHttp.Form(("prompt", "x")).AddFile("image", png),
            "response_format" => FakeApiHttp.Form(("response_format", "png")).AddFile("image", png),
            _ => throw new ArgumentOutOfRangeException(nameof(@case)),
        };
        await (await VaryAsync(form)).AssertInvalidAsync(param, code);
    }

    [Fact]
    public async Task VariationsNeedMultipart()
    {
        var response = await _client.PostAsync("v1/images/variations", FakeApiHttp.Json("""{"model":"dall-e-2"}"""));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("unsupported_content_type", (await response.ReadErrorAsync()).Code);
    }
}
