using System.Net;
using OpenAIImages.Engine.Imaging;
using OpenAIImages.FakeApi;
using OpenAIImages.FakeApi.Imaging;
using OpenAIImages.FakeApi.Responses;
using Xunit;

namespace OpenAIImages.Tests.FakeApi;

public sealed class EditTests : IClassFixture<SharedServer>
{
    private readonly FakeOpenAIServer _server;
    private readonly HttpClient _client;

    public EditTests(SharedServer shared)
    {
        _server = shared.Server;
        _client = FakeApiHttp.Client(_server);
    }

    private Task<HttpResponseMessage> EditAsync(MultipartFormDataContent form) => _client.PostAsync("v1/images/edits", form);

    private static byte[] Png(byte shade) => TestImages.SolidPng(32, 32, shade, shade, shade);

    [Fact]
    public async Task FourImageArrayPartsArriveInOrderAndCountAsInputTokens()
    {
        var inputs = Enumerable.Range(1, 4).Select(i => Png((byte)(i * 40))).ToArray();
        var form = FakeApiHttp.Form(("model", "gpt-image-1"), ("prompt", "a gift basket"), ("quality", "low"));
        for (int i = 0; i < inputs.Length; i++) form.AddFile("image[]", inputs[i], "image/png", $"item{i}.png");

        var response = await EditAsync(form);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var root = await response.ReadJsonAsync();
        var usage = root.GetProperty("usage");
        Assert.Equal(4 * TokenTable.InputImageTokens, usage.GetProperty("input_tokens_details").GetProperty("image_tokens").GetInt32());
        Assert.Equal(4, usage.GetProperty("input_tokens_details").GetProperty("text_tokens").GetInt32()); // 13 chars
        Assert.Equal(272, usage.GetProperty("output_tokens").GetInt32());

        var recorded = _server.Requests.Single(r => r.RequestId == response.Headers.GetValues("x-request-id").Single());
        var images = recorded.PartsNamed("image[]");
        Assert.Equal(4, images.Count);
        for (int i = 0; i < 4; i++)
        {
            Assert.Equal($"item{i}.png", images[i].FileName);
            Assert.Equal("image/png", images[i].ContentType);
            Assert.Equal(inputs[i], images[i].Data);
        }
        Assert.Equal(new[] { "model", "prompt", "quality", "image[]", "image[]", "image[]", "image[]" }, recorded.Parts!.Select(p => p.Name));
        Assert.Equal("a gift basket", recorded.Field("prompt"));
    }

    [Fact]
    public async Task ASingleImageMayUseThePlainName()
    {
        var form = FakeApiHttp.Form(("prompt", "x"), ("quality", "low")).AddFile("image", TestImages.SolidPng(16, 16, 1, 2, 3), "image/png");
        var response = await EditAsync(form);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // gpt-image-1.5 is the edit default: base64 and usage.
        Assert.True((await response.ReadJsonAsync()).TryGetProperty("usage", out _));
    }

    [Fact]
    public async Task JpegAndWebPInputsAreAcceptedForGptModels()
    {
        var jpeg = JpegWriter.Encode(20, 10, TestImages.Solid(20, 10, 200, 10, 10));
        var webp = WebPWriter.Encode(10, 20, TestImages.Solid(10, 20, 10, 200, 10));
        var form = FakeApiHttp.Form(("model", "gpt-image-1"), ("prompt", "x"), ("quality", "low"), ("output_format", "jpeg"))
            .AddFile("image[]", jpeg, "image/jpeg", "a.jpg").AddFile("image[]", webp, "image/webp", "b.webp");
        var response = await EditAsync(form);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var info = ImageInfo.TryRead(FakeApiHttp.Images(await response.ReadJsonAsync()).Single())!;
        Assert.Equal((ImageFormat.Jpeg, 1024, 1024), (info.Format, info.Width, info.Height));
    }

    [Fact]
    public async Task DallE2EditAnswersWithAUrlAtTheRequestedSize()
    {
        var form = FakeApiHttp.Form(("model", "dall-e-2"), ("prompt", "x"), ("size", "256x256"))
            .AddFile("image", TestImages.SolidPng(64, 64, 9, 9, 9, 0));
        var response = await EditAsync(form);
        var root = await response.ReadJsonAsync();
        var url = root.GetProperty("data")[0].GetProperty("url").GetString()!;
        var info = ImageInfo.TryRead(await _client.GetByteArrayAsync(url))!;
        Assert.Equal((256, 256), (info.Width, info.Height));
    }

    public static TheoryData<string, string?, string> Rejections() => new()
    {
        // case, param, code
        { "no image", "image", "missing_required_parameter" },
        { "image twice", "image", "invalid_value" },
        { "image and image[]", "image", "invalid_value" },
        { "17 images", "image", "array_above_max_length" },
        { "dall-e-2 two images", "image", "array_above_max_length" },
        { "dall-e-2 not square", "image", "image_not_square" },
        { "dall-e-2 jpeg", "image", "unsupported_file_mimetype" },
        { "dall-e-2 no alpha and no mask", "image", "image_missing_alpha" },
        { "octet-stream", "image", "unsupported_file_mimetype" },
        { "no content type", "image", "unsupported_file_mimetype" },
        { "declared png but jpeg", "image", "invalid_image_format" },
        { "not an image", "image", "invalid_image_format" },
        { "image as text", "image", "invalid_type" },
        { "mask jpeg", "mask", "unsupported_file_mimetype" },
        { "mask without alpha", "mask", "image_missing_alpha" },
        { "mask other size", "mask", "mask_size_mismatch" },
        { "mask over 4 MB", "mask", "image_too_large" },
        { "two masks", "mask", "duplicate_parameter" },
        { "moderation", "moderation", "unknown_parameter" },
        { "unknown field", "seed", "unknown_parameter" },
        { "duplicate prompt", "prompt", "duplicate_parameter" },
        { "prompt as file", "prompt", "invalid_type" },
        { "no prompt", "prompt", "missing_required_parameter" },
        { "dall-e-2 prompt too long", "prompt", "string_above_max_length" },
        { "fidelity on mini", "input_fidelity", "unsupported_parameter" },
        { "fidelity on dall-e-2", "input_fidelity", "unsupported_parameter" },
        { "fidelity medium", "input_fidelity", "invalid_value" },
        { "dall-e-3", "model", "invalid_value" },
        { "dall-e-2 quality high", "quality", "invalid_value" },
        { "hd quality", "quality", "invalid_value" },
        { "gpt response_format", "response_format", "unsupported_parameter" },
        { "dall-e-2 stream", "stream", "unsupported_parameter" },
        { "stream not boolean", "stream", "invalid_type" },
        { "n not a number", "n", "invalid_type" },
        { "gpt-image-1 free size", "size", "invalid_value" },
    };

    [Theory]
    [MemberData(nameof(Rejections))]
    public async Task RejectsWithOpenAIErrorShape(string @case, string? param, string code)
    {
        var response = await EditAsync(BuildForm(@case));
        await response.AssertInvalidAsync(param, code);
    }

    private static MultipartFormDataContent BuildForm(string @case)
    {
        var png = TestImages.SolidPng(32, 32, 50, 60, 70);
        var gpt = FakeApiHttp.Form(("model", "gpt-image-1"), ("prompt", "x"));
        var dalle = FakeApiHttp.Form(("model", "dall-e-2"), ("prompt", "x"));
        var jpeg = JpegWriter.Encode(32, 32, TestImages.Solid(32, 32, 1, 2, 3));
        switch (@case)
        {
            case "no image": return gpt;
            case "image twice": return gpt.AddFile("image", png).AddFile("image", png);
            case "image and image[]": return gpt.AddFile("image", png).AddFile("image[]", png);
            case "17 images":
                for (int i = 0; i < 17; i++) gpt.AddFile("image[]", png);
                return gpt;
            case "dall-e-2 two images": return dalle.AddFile("image[]", png).AddFile("image[]", png);
            case "dall-e-2 not square": return dalle.AddFile("image", TestImages.SolidPng(32, 16, 0, 0, 0, 0));
            case "dall-e-2 jpeg": return dalle.AddFile("image", jpeg, "image/jpeg");
            case "dall-e-2 no alpha and no mask": return dalle.AddFile("image", TestImages.RgbPng(32, 32));
            case "octet-stream": return gpt.AddFile("image", png, "application/octet-stream");
            case "no content type": return gpt.AddFile("image", png, null);
            case "declared png but jpeg": return gpt.AddFile("image", jpeg, "image/png");
            case "not an image": return gpt.AddFile("image", "hello"u8.ToArray(), "image/png");
            case "image as text":
                gpt.Add(new StringContent("not a file"), "image");
                return gpt;
            case "mask jpeg": return gpt.AddFile("image", png).AddFile("mask", jpeg, "image/jpeg");
            case "mask without alpha": return gpt.AddFile("image", png).AddFile("mask", TestImages.RgbPng(32, 32));
            case "mask other size": return gpt.AddFile("image", png).AddFile("mask", TestImages.LeftHalfMask(16, 16));
            case "mask over 4 MB":
                // The byte limit is checked before the content is read, so a PNG header and padding will do.
                return gpt.AddFile("image", png).AddFile("mask", Padded(TestImages.LeftHalfMask(32, 32), 4 * 1024 * 1024));
            case "two masks": return gpt.AddFile("image", png).AddFile("mask", TestImages.LeftHalfMask(32, 32)).AddFile("mask", TestImages.LeftHalfMask(32, 32));
            case "moderation": return Add(gpt, "moderation", "low").AddFile("image", png);
            case "unknown field": return Add(gpt, "seed", "1").AddFile("image", png);
            case "duplicate prompt": return Add(gpt, "prompt", "y").AddFile("image", png);
            case "prompt as file": return FakeApiHttp.Form(("model", "gpt-image-1")).AddFile("prompt", "x"u8.ToArray(), "text/plain", "p.txt").AddFile("image", png);
            case "no prompt": return FakeApiHttp.Form(("model", "gpt-image-1")).AddFile("image", png);
            case "dall-e-2 prompt too long":
                return FakeApiHttp.Form(("model", "dall-e-2"), ("prompt", new string('p', 1001))).AddFile("image", TestImages.SolidPng(32, 32, 0, 0, 0, 0));
            case "fidelity on mini": return FakeApiHttp.Form(("model", "gpt-image-1-mini"), ("prompt", "x"), ("input_fidelity", "high")).AddFile("image", png);
            case "fidelity on dall-e-2": return Add(dalle, "input_fidelity", "low").AddFile("image", TestImages.SolidPng(32, 32, 0, 0, 0, 0));
            case "fidelity medium": return Add(gpt, "input_fidelity", "medium").AddFile("image", png);
            case "dall-e-3": return FakeApiHttp.Form(("model", "dall-e-3"), ("prompt", "x")).AddFile("image", png);
            case "dall-e-2 quality high": return Add(dalle, "quality", "high").AddFile("image", TestImages.SolidPng(32, 32, 0, 0, 0, 0));
            case "hd quality": return Add(gpt, "quality", "hd").AddFile("image", png);
            case "gpt response_format": return Add(gpt, "response_format", "b64_json").AddFile("image", png);
            case "dall-e-2 stream": return Add(dalle, "stream", "true").AddFile("image", TestImages.SolidPng(32, 32, 0, 0, 0, 0));
            case "stream not boolean": return Add(gpt, "stream", "yes").AddFile("image", png);
            case "n not a number": return Add(gpt, "n", "two").AddFile("image", png);
            case "gpt-image-1 free size": return Add(gpt, "size", "512x512").AddFile("image", png);
            default: throw new ArgumentOutOfRangeException(nameof(@case), @case, null);
        }
    }

    private static byte[] Padded(byte[] image, int length)
    {
        var padded = new byte[length];
        image.CopyTo(padded, 0);
        return padded;
    }

    private static MultipartFormDataContent Add(MultipartFormDataContent form, string name, string value)
    {
        form.Add(new StringContent(value), name);
        return form;
    }

    [Fact]
    public async Task GptImagesOf50MegabytesAreRefused()
    {
        var huge = Padded(TestImages.SolidPng(8, 8, 0, 0, 0), 50 * 1024 * 1024);
        var form = FakeApiHttp.Form(("model", "gpt-image-1"), ("prompt", "x")).AddFile("image", huge);
        await (await EditAsync(form)).AssertInvalidAsync("image", "image_too_large");
    }

    [Fact]
    public async Task AcceptedOptions()
    {
        var png = TestImages.SolidPng(32, 32, 5, 5, 5);
        var form = FakeApiHttp.Form(("model", "gpt-image-1"), ("prompt", "x"), ("input_fidelity", "high"), ("background", "transparent"),
            ("output_format", "webp"), ("output_compression", "80"), ("quality", "low"), ("n", "2"), ("size", "1536x1024"), ("user", "u"))
            .AddFile("image[]", png).AddFile("mask", TestImages.LeftHalfMask(32, 32));
        var response = await EditAsync(form);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var images = FakeApiHttp.Images(await response.ReadJsonAsync());
        Assert.Equal(2, images.Count);
        Assert.All(images, i => Assert.Equal((ImageFormat.WebP, 1536, 1024), (ImageInfo.TryRead(i)!.Format, ImageInfo.TryRead(i)!.Width, ImageInfo.TryRead(i)!.Height)));
    }

    [Fact]
    public async Task VariationsAreAlsoParsedAsParts()
    {
        var form = FakeApiHttp.Form(("n", "1"), ("response_format", "b64_json"), ("size", "256x256")).AddFile("image", TestImages.SolidPng(64, 64, 1, 1, 1));
        var response = await _client.PostAsync("v1/images/variations", form);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var recorded = _server.Requests.Single(r => r.RequestId == response.Headers.GetValues("x-request-id").Single());
        Assert.Single(recorded.PartsNamed("image"));
        Assert.Equal("256x256", recorded.Field("size"));
    }
}
