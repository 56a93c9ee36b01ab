using System.Net;
using System.Text.Json;
using OpenAIImages.Engine.Imaging;
using OpenAIImages.FakeApi;
using OpenAIImages.FakeApi.Recording;
using Xunit;

namespace OpenAIImages.Tests.FakeApi;

public sealed class GenerationTests : IClassFixture<SharedServer>
{
    private readonly FakeOpenAIServer _server;
    private readonly HttpClient _client;

    public GenerationTests(SharedServer shared)
    {
        _server = shared.Server;
        _client = FakeApiHttp.Client(_server);
    }

    private static ImageInfo Info(byte[] image) => ImageInfo.TryRead(image) ?? throw new Xunit.Sdk.XunitException("not an image");

    [Fact]
    public async Task DallE2IsTheDefaultAndAnswersWithADownloadableUrl()
    {
        var response = await _client.GenerateAsync("""{"prompt":"a lighthouse"}""");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var root = await response.ReadJsonAsync();
        Assert.True(root.GetProperty("created").GetInt64() > 1_600_000_000);
        var item = root.GetProperty("data").EnumerateArray().Single();
        Assert.False(item.TryGetProperty("b64_json", out _));
        Assert.False(root.TryGetProperty("usage", out _));
        var url = new Uri(item.GetProperty("url").GetString()!);
        Assert.True(url.IsAbsoluteUri);
        Assert.Equal(_server.Root.Authority, url.Authority);

        // Downloads need no key, like the real signed URLs.
        using var anonymous = new HttpClient();
        var download = await anonymous.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("image/png", download.Content.Headers.ContentType!.MediaType);
        var info = Info(await download.Content.ReadAsByteArrayAsync());
        Assert.Equal((ImageFormat.Png, 1024, 1024), (info.Format, info.Width, info.Height));
        Assert.Contains(_server.Requests, r => r.Operation == ApiOperation.FileDownload && r.ResponseStatus == 200 && url.AbsolutePath == r.Path);
    }

    [Fact]
    public async Task UnknownFileIsNotFound()
    {
        var response = await _client.GetAsync("files/img_000000.png");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("not_found", (await response.ReadErrorAsync()).Code);
    }

    [Fact]
    public async Task DallE2Base64AtEachSize()
    {
        var response = await _client.GenerateAsync("""{"model":"dall-e-2","prompt":"a fox","size":"256x256","n":2,"response_format":"b64_json"}""");
        var images = FakeApiHttp.Images(await response.ReadJsonAsync());
        Assert.Equal(2, images.Count);
        Assert.All(images, i => Assert.Equal((ImageFormat.Png, 256, 256), (Info(i).Format, Info(i).Width, Info(i).Height)));
        Assert.NotEqual(images[0], images[1]);
    }

    [Fact]
    public async Task DallE3RevisesThePromptAndTakesWideSizes()
    {
        var response = await _client.GenerateAsync("""{"model":"dall-e-3","prompt":"a harbour at dusk","size":"1792x1024","quality":"hd","style":"natural","response_format":"b64_json"}""");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var root = await response.ReadJsonAsync();
        var item = root.GetProperty("data").EnumerateArray().Single();
        Assert.Contains("a harbour at dusk", item.GetProperty("revised_prompt").GetString());
        var info = Info(Convert.FromBase64String(item.GetProperty("b64_json").GetString()!));
        Assert.Equal((1792, 1024), (info.Width, info.Height));
        Assert.False(root.TryGetProperty("usage", out _));
    }

    [Fact]
    public async Task GptImage1HighPortraitReportsSettingsAndTableUsage()
    {
        const string prompt = "a detailed map of an imaginary island"; // 37 characters -> 10 text tokens
        var response = await _client.GenerateAsync($$"""{"model":"gpt-image-1","prompt":"{{prompt}}","size":"1024x1536","quality":"high"}""");
        var root = await response.ReadJsonAsync();
        var info = Info(FakeApiHttp.Images(root).Single());
        Assert.Equal((ImageFormat.Png, 1024, 1536), (info.Format, info.Width, info.Height));
        Assert.Equal("opaque", root.GetProperty("background").GetString());
        Assert.Equal("png", root.GetProperty("output_format").GetString());
        Assert.Equal("1024x1536", root.GetProperty("size").GetString());
        Assert.Equal("high", root.GetProperty("quality").GetString());
        var usage = root.GetProperty("usage");
        Assert.Equal(6240, usage.GetProperty("output_tokens").GetInt32());
        Assert.Equal(10, usage.GetProperty("input_tokens_details").GetProperty("text_tokens").GetInt32());
        Assert.Equal(0, usage.GetProperty("input_tokens_details").GetProperty("image_tokens").GetInt32());
        Assert.Equal(10, usage.GetProperty("input_tokens").GetInt32());
        Assert.Equal(6250, usage.GetProperty("total_tokens").GetInt32());
        Assert.Equal(6240, usage.GetProperty("output_tokens_details").GetProperty("image_tokens").GetInt32());
    }

    [Fact]
    public async Task GptImage1MiniLowLandscapeJpegTimesThree()
    {
        var response = await _client.GenerateAsync("""{"model":"gpt-image-1-mini","prompt":"dunes","size":"1536x1024","quality":"low","output_format":"jpeg","output_compression":60,"n":3}""");
        var root = await response.ReadJsonAsync();
        var images = FakeApiHttp.Images(root);
        Assert.Equal(3, images.Count);
        Assert.All(images, i => Assert.Equal((ImageFormat.Jpeg, 1536, 1024), (Info(i).Format, Info(i).Width, Info(i).Height)));
        Assert.Equal(3 * 400, root.GetProperty("usage").GetProperty("output_tokens").GetInt32());
        Assert.Equal("jpeg", root.GetProperty("output_format").GetString());
    }

    [Fact]
    public async Task AutoSizeAndQualityResolveToSquareMedium()
    {
        var response = await _client.GenerateAsync("""{"model":"gpt-image-1.5","prompt":"tea","size":"auto","quality":"auto"}""");
        var root = await response.ReadJsonAsync();
        Assert.Equal("1024x1024", root.GetProperty("size").GetString());
        Assert.Equal("medium", root.GetProperty("quality").GetString());
        Assert.Equal(1056, root.GetProperty("usage").GetProperty("output_tokens").GetInt32());
        var info = Info(FakeApiHttp.Images(root).Single());
        Assert.Equal((1024, 1024), (info.Width, info.Height));
    }

    [Fact]
    public async Task GptImage2FreeSizeWebPScalesTokensByArea()
    {
        var response = await _client.GenerateAsync("""{"model":"gpt-image-2","prompt":"a tram","size":"1536x864","output_format":"webp","quality":"medium"}""");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var root = await response.ReadJsonAsync();
        var info = Info(FakeApiHttp.Images(root).Single());
        Assert.Equal((ImageFormat.WebP, 1536, 864, false), (info.Format, info.Width, info.Height, info.HasAlpha));
        Assert.Equal("1536x864", root.GetProperty("size").GetString());
        // 1056 x (1536 x 864) / (1024 x 1024) = 1336.5, rounded half away from zero.
        Assert.Equal(1337, root.GetProperty("usage").GetProperty("output_tokens").GetInt32());
    }

    [Theory]
    [InlineData("3840x2160")]
    [InlineData("48x16")]
    [InlineData("16x48")]
    [InlineData("2160x3840")]
    public async Task GptImage2AcceptsSizesOnTheLimits(string size)
    {
        var response = await _client.GenerateAsync($$"""{"model":"gpt-image-2","prompt":"x","size":"{{size}}","quality":"low","output_format":"jpeg"}""");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var info = Info(FakeApiHttp.Images(await response.ReadJsonAsync()).Single());
        Assert.Equal(size, $"{info.Width}x{info.Height}");
    }

    [Fact]
    public async Task TransparentBackgroundGivesPngWithClearPixels()
    {
        var response = await _client.GenerateAsync("""{"model":"gpt-image-2","prompt":"a sticker","size":"64x64","background":"transparent"}""");
        var root = await response.ReadJsonAsync();
        Assert.Equal("transparent", root.GetProperty("background").GetString());
        var png = FakeApiHttp.Images(root).Single();
        Assert.True(Info(png).HasAlpha);
        var pixels = PngDecoder.Decode(png).Pixels;
        int clear = Enumerable.Range(0, 64 * 64).Count(i => pixels[i * 4 + 3] == 0);
        int solid = Enumerable.Range(0, 64 * 64).Count(i => pixels[i * 4 + 3] == 255);
        Assert.InRange(clear, 1, 64 * 64 - 1);
        Assert.Equal(64 * 64, clear + solid);
        Assert.Equal(0, pixels[3]); // the corner is background
    }

    [Fact]
    public async Task TransparentWebPCarriesTheAlphaFlag()
    {
        var response = await _client.GenerateAsync("""{"model":"gpt-image-1","prompt":"a sticker","background":"transparent","output_format":"webp","quality":"low"}""");
        var info = Info(FakeApiHttp.Images(await response.ReadJsonAsync()).Single());
        Assert.Equal((ImageFormat.WebP, true), (info.Format, info.HasAlpha));
    }

    [Fact]
    public async Task PixelsFollowThePromptAndRepeatForTheSamePrompt()
    {
        async Task<byte[]> Generate(string prompt) => FakeApiHttp.Images(await (await _client.GenerateAsync(
            $$"""{"model":"gpt-image-2","prompt":"{{prompt}}","size":"128x128"}""")).ReadJsonAsync()).Single();
        var first = await Generate("a red barn");
        var again = await Generate("a red barn");
        var other = await Generate("a blue boat");
        Assert.Equal(first, again);
        Assert.NotEqual(PngDecoder.Decode(first).Pixels, PngDecoder.Decode(other).Pixels);
    }

    [Fact]
    public async Task AGptOnlyParameterWithoutModelPicksAGptModel()
    {
        var response = await _client.GenerateAsync("""{"prompt":"a kite","output_format":"webp"}""");
        var root = await response.ReadJsonAsync();
        Assert.Equal(ImageFormat.WebP, Info(FakeApiHttp.Images(root).Single()).Format);
        Assert.True(root.TryGetProperty("usage", out _));
    }

    [Fact]
    public async Task UnknownModelIsAcceptedWithGenericChecks()
    {
        var response = await _client.GenerateAsync("""{"model":"gpt-image-9-preview","prompt":"x","size":"512x512","quality":"low"}""");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var rejected = await _client.GenerateAsync("""{"model":"gpt-image-9-preview","prompt":"x","quality":"hd"}""");
        await rejected.AssertInvalidAsync("quality", "invalid_value");
    }

    [Fact]
    public async Task AzureDeploymentShapeTakesTheApiKeyHeaderAndIsRecorded()
    {
        using var azure = new HttpClient { BaseAddress = _server.Root };
        azure.DefaultRequestHeaders.Add("api-key", FakeApiHttp.Key);
        var uri = _server.AzureDeploymentUri("my-images", "generations", "2025-04-01-preview");
        var response = await azure.PostAsync(uri, FakeApiHttp.Json("""{"prompt":"a bridge","quality":"low"}"""));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var id = response.Headers.GetValues("x-request-id").Single();
        var recorded = _server.Requests.Single(r => r.RequestId == id);
        Assert.Equal((ApiShape.AzureDeployment, "my-images", "2025-04-01-preview"), (recorded.Shape, recorded.Deployment, recorded.ApiVersion));
        // The deployment name stands in for the model: an unknown name gets GPT answers.
        Assert.True((await response.ReadJsonAsync()).TryGetProperty("usage", out _));
    }

    [Fact]
    public async Task AzureDeploymentWithoutApiVersionIsRefused()
    {
        using var azure = new HttpClient { BaseAddress = _server.Root };
        azure.DefaultRequestHeaders.Add("api-key", FakeApiHttp.Key);
        var response = await azure.PostAsync("openai/deployments/d/images/generations", FakeApiHttp.Json("""{"prompt":"x"}"""));
        await response.AssertInvalidAsync("api-version", "missing_api_version");
    }

    [Fact]
    public async Task AzureV1ShapeTakesBearerAndIsRecorded()
    {
        var response = await _client.PostAsync(new Uri(_server.AzureV1BaseUri, "images/generations"), FakeApiHttp.Json("""{"model":"gpt-image-1","prompt":"x","quality":"low"}"""));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var id = response.Headers.GetValues("x-request-id").Single();
        Assert.Equal(ApiShape.AzureV1, _server.Requests.Single(r => r.RequestId == id).Shape);
    }

    [Fact]
    public async Task UnknownRouteIsNotFoundInOpenAIShape()
    {
        var response = await _client.PostAsync("v1/images/upscale", FakeApiHttp.Json("{}"));
        var error = await response.ReadErrorAsync();
        Assert.Equal(404, error.Status);
        Assert.Contains("/v1/images/upscale", error.Message);
        var get = await _client.GetAsync("v1/images/generations");
        Assert.Contains("GET /v1/images/generations", (await get.ReadErrorAsync()).Message);
        var variationsOnDeployment = await _client.PostAsync("openai/deployments/d/images/variations?api-version=1", FakeApiHttp.Json("{}"));
        Assert.Equal(HttpStatusCode.NotFound, variationsOnDeployment.StatusCode);
    }
}
