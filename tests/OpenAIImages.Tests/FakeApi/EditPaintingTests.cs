using System.Net;
using OpenAIImages.Engine.Imaging;
using OpenAIImages.FakeApi;
using OpenAIImages.FakeApi.Imaging;
using Xunit;

namespace OpenAIImages.Tests.FakeApi;

/// <summary>Edits must visibly depend on the upload, and a mask must change only its transparent area of the first image.</summary>
public sealed class EditPaintingTests : IClassFixture<SharedServer>
{
    private static readonly (byte R, byte G, byte B) First = (200, 30, 40);
    private static readonly (byte R, byte G, byte B) Second = (20, 210, 60);
    private readonly HttpClient _client;

    public EditPaintingTests(SharedServer shared) => _client = FakeApiHttp.Client(shared.Server);

    private async Task<RgbaImage> EditAsync(MultipartFormDataContent form)
    {
        var response = await _client.PostAsync("v1/images/edits", form);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return PngDecoder.Decode(FakeApiHttp.Images(await response.ReadJsonAsync()).Single());
    }

    private static (byte, byte, byte, byte) At(RgbaImage image, int x, int y)
    {
        int i = (y * image.Width + x) * 4;
        return (image.Pixels[i], image.Pixels[i + 1], image.Pixels[i + 2], image.Pixels[i + 3]);
    }

    [Theory]
    [InlineData(64)]   // same size as the inputs
    [InlineData(128)]  // inputs and mask scaled up to the output size
    public async Task TheMaskChangesOnlyItsTransparentHalfOfTheFirstImage(int outputSize)
    {
        const string prompt = "a pool with a flamingo";
        var form = FakeApiHttp.Form(("model", "gpt-image-2"), ("prompt", prompt), ("size", $"{outputSize}x{outputSize}"))
            .AddFile("image[]", TestImages.SolidPng(64, 64, First.R, First.G, First.B))
            .AddFile("image[]", TestImages.SolidPng(64, 64, Second.R, Second.G, Second.B))
            .AddFile("mask", TestImages.LeftHalfMask(64, 64));
        var result = await EditAsync(form);
        Assert.Equal((outputSize, outputSize), (result.Width, result.Height));

        var painted = ImageRenderer.PromptColour(prompt, 0);
        Assert.NotEqual(First, painted);
        for (int y = 0; y < outputSize; y++)
            for (int x = 0; x < outputSize; x++)
            {
                var expected = x < outputSize / 2 ? (painted.R, painted.G, painted.B, (byte)255) : (First.R, First.G, First.B, (byte)255);
                Assert.Equal(expected, At(result, x, y));
            }
    }

    [Fact]
    public async Task WithoutAMaskGptModelsTintTheWholeImage()
    {
        const string prompt = "warmer light";
        var form = FakeApiHttp.Form(("model", "gpt-image-2"), ("prompt", prompt), ("size", "32x32"))
            .AddFile("image", TestImages.SolidPng(32, 32, First.R, First.G, First.B));
        var result = await EditAsync(form);
        var tint = ImageRenderer.PromptColour(prompt, 0);
        var expected = ((byte)((First.R + tint.R + 1) / 2), (byte)((First.G + tint.G + 1) / 2), (byte)((First.B + tint.B + 1) / 2), (byte)255);
        Assert.NotEqual((First.R, First.G, First.B, (byte)255), expected);
        Assert.All(Enumerable.Range(0, 32 * 32), i => Assert.Equal(expected, At(result, i % 32, i / 32)));
    }

    [Fact]
    public async Task DallE2WithoutAMaskFillsTheImagesOwnTransparentArea()
    {
        const string prompt = "a sunny sky";
        var pixels = TestImages.Solid(64, 64, First.R, First.G, First.B);
        for (int i = 0; i < 64 * 32; i++) pixels[i * 4 + 3] = 0; // top half transparent
        var form = FakeApiHttp.Form(("model", "dall-e-2"), ("prompt", prompt), ("size", "256x256"), ("response_format", "b64_json"))
            .AddFile("image", PngEncoder.EncodeRgba(64, 64, pixels));
        var result = await EditAsync(form);
        var painted = ImageRenderer.PromptColour(prompt, 0);
        Assert.Equal((256, 256), (result.Width, result.Height));
        Assert.NotEqual(First, painted);
        // Every pixel: the transparent top half is painted, the opaque bottom half is left as it was.
        for (int y = 0; y < 256; y++)
            for (int x = 0; x < 256; x++)
            {
                var expected = y < 128 ? (painted.R, painted.G, painted.B, (byte)255) : (First.R, First.G, First.B, (byte)255);
                Assert.Equal(expected, At(result, x, y));
            }
    }

    [Fact]
    public async Task JsonEditsPaintDataUrlImagesToo()
    {
        const string prompt = "json edit";
        string image = "data:image/png;base64," + Convert.ToBase64String(TestImages.SolidPng(32, 32, First.R, First.G, First.B));
        string mask = "data:image/png;base64," + Convert.ToBase64String(TestImages.LeftHalfMask(32, 32));
        var response = await _client.PostAsync("v1/images/edits", FakeApiHttp.Json(
            $$$"""{"model":"gpt-image-1","prompt":"{{{prompt}}}","quality":"low","images":[{"image_url":"{{{image}}}"}],"mask":{"image_url":"{{{mask}}}"}}"""));
        var result = PngDecoder.Decode(FakeApiHttp.Images(await response.ReadJsonAsync()).Single());
        var painted = ImageRenderer.PromptColour(prompt, 0);
        Assert.Equal((1024, 1024), (result.Width, result.Height));
        Assert.Equal((painted.R, painted.G, painted.B, (byte)255), At(result, 0, 0));
        Assert.Equal((First.R, First.G, First.B, (byte)255), At(result, 1023, 1023));
    }

    [Fact]
    public async Task EachResultImageGetsItsOwnColour()
    {
        var form = FakeApiHttp.Form(("model", "gpt-image-2"), ("prompt", "p"), ("size", "16x16"), ("n", "2"))
            .AddFile("image", TestImages.SolidPng(16, 16, 1, 2, 3)).AddFile("mask", TestImages.LeftHalfMask(16, 16));
        var response = await _client.PostAsync("v1/images/edits", form);
        var images = FakeApiHttp.Images(await response.ReadJsonAsync()).Select(i => PngDecoder.Decode(i)).ToList();
        Assert.NotEqual(At(images[0], 0, 0), At(images[1], 0, 0));
        Assert.Equal(At(images[0], 15, 15), At(images[1], 15, 15));
    }

    [Fact]
    public async Task APngWithABrokenBodyIsRefused()
    {
        var png = TestImages.SolidPng(32, 32, 1, 2, 3);
        png[^20] ^= 0xFF; // inside the IDAT data or its CRC: the header still reads fine
        Assert.NotNull(ImageInfo.TryRead(png));
        var form = FakeApiHttp.Form(("prompt", "x")).AddFile("image", png);
        await (await _client.PostAsync("v1/images/edits", form)).AssertInvalidAsync("image", "invalid_image_format");
    }
}
