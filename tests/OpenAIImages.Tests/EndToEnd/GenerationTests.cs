using System.Text.Json;
using OpenAIImages.Engine.Files;
using OpenAIImages.Engine.Imaging;
using OpenAIImages.Engine.Requests;
using OpenAIImages.Engine.Results;
using OpenAIImages.FakeApi;
using OpenAIImages.FakeApi.Recording;
using OpenAIImages.Tests.Support;
using Xunit;

namespace OpenAIImages.Tests.EndToEnd;

/// <summary>Generations through the engine against the loopback server, over real HTTP.</summary>
public class GenerationTests
{
    private static readonly SpecSchema CreateImageRequest = SpecSchema.Load("CreateImageRequest");

    [Fact]
    public async Task GptImage2MakesFreeSizes()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        var images = await TestClients.For(server).GenerateAsync(new ImageGenerationRequest { Model = "gpt-image-2", Prompt = "a wide harbour at dawn", Size = "1536x864", Quality = "low" });

        var image = Assert.Single(images);
        AssertImage(image.Bytes, ImageFormat.Png, 1536, 864);
        Assert.Equal(1536, image.Width);
        Assert.Equal(864, image.Height);
        Assert.Equal("png", image.OutputFormat);
        Assert.Equal("gpt-image-2", image.Model);
        Assert.Equal(ImageOperation.Generation, image.Operation);
        Assert.NotNull(image.Usage);
        Assert.True(image.Usage!.OutputTokens > 0);
        Assert.False(string.IsNullOrEmpty(image.RequestId));

        var json = AssertRequestFollowsSpec(server.Requests.Single());
        Assert.Equal("gpt-image-2", json.GetProperty("model").GetString());
        Assert.Equal("1536x864", json.GetProperty("size").GetString());
        Assert.Equal("low", json.GetProperty("quality").GetString());
        Assert.Equal(image.RequestId, server.Requests.Single().RequestId);
    }

    [Fact]
    public async Task APreparedRequestIsSentAsItWasCheckedWithoutASecondPass()
    {
        // The client takes the prepared request as it is: it neither checks nor parses the request again, so fields
        // changed after preparing (which a second pass would refuse, or send) change nothing on the wire.
        await using var server = await FakeOpenAIServer.StartAsync();
        var request = new ImageGenerationRequest { Model = "gpt-image-2", Prompt = "a lighthouse", Size = "1536x864", Quality = "LOW" };
        var prepared = OpenAIImages.Engine.Validation.ImageRequestValidator.Prepare(request);
        request.Size = "not a size";
        request.Quality = "ultra";

        var image = Assert.Single(await TestClients.For(server).GenerateAsync(prepared));

        var json = AssertRequestFollowsSpec(server.Requests.Single());
        Assert.Equal("1536x864", json.GetProperty("size").GetString());
        Assert.Equal("low", json.GetProperty("quality").GetString());
        Assert.Equal(1536, image.Width);
        Assert.Equal(344L, prepared.OutputTokenEstimate); // low quality: 272 tokens a 1024x1024 square, scaled by area
    }

    [Theory]
    [InlineData("DALL-E-3", "dall-e-3")]
    [InlineData(" Dall-E-3 ", "dall-e-3")]
    public async Task AKnownModelIsSentInTheCatalogsSpellingWhateverTheCaseGiven(string given, string sent)
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        var image = Assert.Single(await TestClients.For(server).GenerateAsync(new ImageGenerationRequest { Model = given, Prompt = "a quiet pond", Style = "natural", Quality = "hd" }));
        Assert.Equal(sent, AssertRequestFollowsSpec(server.Requests.Single()).GetProperty("model").GetString());
        Assert.Equal(sent, image.Model);
    }

    [Fact]
    public async Task AnUnknownModelIsSentAsGiven()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        var image = Assert.Single(await TestClients.For(server).GenerateAsync(new ImageGenerationRequest { Model = " My-Image-Model ", Prompt = "a quiet pond", Quality = "low" }));
        Assert.Equal("My-Image-Model", AssertRequestFollowsSpec(server.Requests.Single()).GetProperty("model").GetString());
        Assert.Equal("My-Image-Model", image.Model);
    }

    [Fact]
    public async Task APromptOfAThousandEmojiReachesDallE2()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        string prompt = string.Concat(Enumerable.Repeat("\U0001F98A", 1000));
        Assert.Single(await TestClients.For(server).GenerateAsync(new ImageGenerationRequest { Model = "dall-e-2", Prompt = prompt, Size = "256x256", ResponseFormat = "b64_json" }));
        Assert.Equal(prompt, AssertRequestFollowsSpec(server.Requests.Single()).GetProperty("prompt").GetString());
    }

    [Theory]
    [InlineData("png", ImageFormat.Png)]
    [InlineData("jpeg", ImageFormat.Jpeg)]
    [InlineData("webp", ImageFormat.WebP)]
    public async Task GptImage1ReturnsEachOutputFormat(string format, ImageFormat expected)
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        var request = new ImageGenerationRequest { Model = "gpt-image-1", Prompt = "a red bicycle", Size = "1024x1536", OutputFormat = format, Quality = "medium", Moderation = "low", User = "user-1234" };
        if (format != "png") request.OutputCompression = 80;
        var image = Assert.Single(await TestClients.For(server).GenerateAsync(request));

        AssertImage(image.Bytes, expected, 1024, 1536);
        Assert.Equal(format, image.OutputFormat);
        Assert.Equal(expected.FileExtension(), image.FileExtension);
        Assert.Equal(1584, image.Usage!.OutputTokens);

        var json = AssertRequestFollowsSpec(server.Requests.Single());
        Assert.Equal(format, json.GetProperty("output_format").GetString());
        Assert.Equal("low", json.GetProperty("moderation").GetString());
        Assert.Equal("user-1234", json.GetProperty("user").GetString());
        Assert.Equal(format != "png", json.TryGetProperty("output_compression", out _));
    }

    [Fact]
    public async Task GptImage1MakesTransparentBackgrounds()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        var image = Assert.Single(await TestClients.For(server).GenerateAsync(new ImageGenerationRequest
        {
            Model = "gpt-image-1", Prompt = "a sticker of a fox", Background = "transparent", OutputFormat = "png", Size = "1024x1024",
        }));
        var info = AssertImage(image.Bytes, ImageFormat.Png, 1024, 1024);
        Assert.True(info.HasAlpha);
        Assert.Equal("transparent", image.Background);
        var pixels = PngDecoder.Decode(image.Bytes);
        Assert.Contains(Enumerable.Range(0, pixels.Width * pixels.Height), i => pixels.Pixels[i * 4 + 3] == 0);

        var json = AssertRequestFollowsSpec(server.Requests.Single());
        Assert.Equal("transparent", json.GetProperty("background").GetString());
    }

    [Fact]
    public async Task DallE3TakesStyleAndHdAndRevisesThePrompt()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        var observer = new RecordingObserver();
        var image = Assert.Single(await TestClients.For(server).GenerateAsync(new ImageGenerationRequest
        {
            Model = "dall-e-3", Prompt = "an oil painting of a lighthouse", Style = "natural", Quality = "hd", Size = "1792x1024", ResponseFormat = "b64_json",
        }, observer));

        AssertImage(image.Bytes, ImageFormat.Png, 1792, 1024);
        Assert.False(string.IsNullOrWhiteSpace(image.RevisedPrompt));
        Assert.NotEqual(image.Prompt, image.RevisedPrompt);
        Assert.Null(image.Usage);
        Assert.Contains(observer.Warnings, w => w.Contains("dall-e-3") && w.Contains("2026-05-12"));

        var json = AssertRequestFollowsSpec(server.Requests.Single());
        Assert.Equal("natural", json.GetProperty("style").GetString());
        Assert.Equal("hd", json.GetProperty("quality").GetString());
        Assert.Equal("b64_json", json.GetProperty("response_format").GetString());
    }

    [Fact]
    public async Task DallE2ReturnsUrlsThatDownloadWhenSaved()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        var images = await TestClients.For(server).GenerateAsync(new ImageGenerationRequest
        {
            Model = "dall-e-2", Prompt = "three paper boats", Count = 3, Size = "512x512", ResponseFormat = "url",
        });

        Assert.Equal(3, images.Count);
        Assert.Equal(new[] { 0, 1, 2 }, images.Select(i => i.Index));
        Assert.All(images, i => Assert.Null(i.Bytes));
        Assert.All(images, i => Assert.Equal("http", i.Url!.Scheme));
        Assert.Equal(3, images.Select(i => i.Url).Distinct().Count());

        var dir = Directory.CreateTempSubdirectory("oai-d2-").FullName;
        try
        {
            foreach (var image in images)
            {
                string path = await ImageSaver.SaveAsync(image, images.Count, new ImageSaveTarget { Directory = dir }, null, CancellationToken.None);
                Assert.Equal(path, image.Path);
                AssertImage(File.ReadAllBytes(path), ImageFormat.Png, 512, 512);
                Assert.Equal(image.Bytes, File.ReadAllBytes(path));
                Assert.EndsWith(".png", path);
            }
            Assert.Equal(3, Directory.GetFiles(dir).Length);
        }
        finally
        {
            Directory.Delete(dir, true);
        }

        var json = AssertRequestFollowsSpec(server.Requests.First(r => r.Operation == ApiOperation.Generations));
        Assert.Equal(3, json.GetProperty("n").GetInt32());
        Assert.Equal("url", json.GetProperty("response_format").GetString());
        var downloads = server.Requests.Where(r => r.Method == "GET").ToList();
        Assert.Equal(3, downloads.Count);
        Assert.All(downloads, d => Assert.False(d.Headers.ContainsKey("Authorization"), "image downloads must not carry the API key"));
    }

    [Fact]
    public async Task RequestsCarryIdentificationHeaders()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        var client = new OpenAIImages.Engine.OpenAIImageClient(new OpenAIImages.Engine.Http.OpenAIConnection(server.BaseUri, OpenAIImages.Engine.Http.ApiCredential.FromString("test-key"))
        {
            Organization = "org-test", Project = "proj-test", UserAgent = "OpenAIImages/9.9.9 (PowerShell Core 7.6)",
        });
        await client.GenerateAsync(new ImageGenerationRequest { Prompt = "a kite", Quality = "low" });
        var headers = server.Requests.Single().Headers;
        Assert.Equal("Bearer test-key", headers["Authorization"]);
        Assert.Equal("org-test", headers["OpenAI-Organization"]);
        Assert.Equal("proj-test", headers["OpenAI-Project"]);
        Assert.StartsWith("OpenAIImages/9.9.9", headers["User-Agent"]);
    }

    private static JsonElement AssertRequestFollowsSpec(RecordedRequest request)
    {
        Assert.Equal("POST", request.Method);
        Assert.StartsWith("application/json", request.ContentType);
        var json = request.Json ?? throw new Xunit.Sdk.XunitException("The request had no JSON body.");
        Assert.True(json.TryGetProperty("model", out _), "model must always be sent");
        foreach (var property in json.EnumerateObject())
        {
            Assert.True(CreateImageRequest.Properties.Contains(property.Name), $"'{property.Name}' is not a CreateImageRequest field of the spec");
            if (CreateImageRequest.Enums.TryGetValue(property.Name, out var allowed))
                Assert.True(allowed.Contains(property.Value.GetString()!), $"{property.Name}='{property.Value}' is not in the spec's enum ({string.Join(", ", allowed)})");
        }
        return json;
    }

    internal static ImageInfo AssertImage(byte[]? bytes, ImageFormat format, int width, int height)
    {
        Assert.NotNull(bytes);
        var info = ImageInfo.TryRead(bytes!);
        Assert.NotNull(info);
        Assert.Equal(format, info!.Format);
        Assert.Equal(width, info.Width);
        Assert.Equal(height, info.Height);
        return info;
    }
}
