using OpenAIImages.Engine;
using OpenAIImages.Engine.Batching;
using OpenAIImages.Engine.Files;
using OpenAIImages.Engine.Imaging;
using OpenAIImages.Engine.Requests;
using OpenAIImages.Engine.Results;
using OpenAIImages.Engine.Validation;
using OpenAIImages.FakeApi;
using OpenAIImages.FakeApi.Recording;
using OpenAIImages.Tests.Support;
using Xunit;

namespace OpenAIImages.Tests.EndToEnd;

/// <summary>Edits and variations through the engine against the loopback server.</summary>
public sealed class EditTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("oai-edit-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private string File(string name, byte[] data)
    {
        string path = Path.Combine(_dir, name);
        System.IO.File.WriteAllBytes(path, data);
        return path;
    }

    private static ImageEditRequest Edit(string prompt, string model = "gpt-image-1.5", params ImageInput[] images)
    {
        var request = new ImageEditRequest { Prompt = prompt, Model = model, Size = model == "dall-e-2" ? "256x256" : "1024x1024" };
        request.Images.AddRange(images);
        return request;
    }

    [Fact]
    public async Task EachFileIsEditedOnItsOwn()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        var client = TestClients.For(server);
        var files = new[] { File("red.png", TestImages.Solid(64, 64, 255, 0, 0)), File("green.png", TestImages.Solid(64, 64, 0, 255, 0)), File("blue.png", TestImages.Solid(64, 64, 0, 0, 255)) };
        var results = new List<GeneratedImage>();
        foreach (var file in files) results.AddRange(await client.EditAsync(Edit("make it glow", images: ImageInput.FromFile(file))));

        Assert.Equal(3, results.Count);
        Assert.Equal(3, server.Requests.Count);
        for (int i = 0; i < 3; i++)
        {
            var request = server.Requests[i];
            Assert.StartsWith("multipart/form-data", request.ContentType);
            var part = Assert.Single(request.Parts!, p => p.IsFile);
            Assert.Equal("image", part.Name);
            Assert.Equal("image/png", part.ContentType);
            Assert.Equal(Path.GetFileName(files[i]), part.FileName);
            Assert.Equal(System.IO.File.ReadAllBytes(files[i]), part.Data);
            Assert.Equal("make it glow", request.Field("prompt"));
            Assert.Equal("gpt-image-1.5", request.Field("model"));
            Assert.Equal(ImageOperation.Edit, results[i].Operation);
        }
        // Each result depends on its own input: the three inputs differ, so do the results.
        Assert.Equal(3, results.Select(r => Convert.ToBase64String(PngDecoder.Decode(r.Bytes).Pixels.Take(4).ToArray())).Distinct().Count());
    }

    [Fact]
    public async Task FourReferenceImagesGoInOneRequestInOrder()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        var inputs = new[] { "body-lotion", "bath-bomb", "incense-kit", "soap" }
            .Select((name, i) => ImageInput.FromFile(File(name + ".png", TestImages.Solid(32, 32, (byte)(i * 60), 100, 200)))).ToArray();
        var image = Assert.Single(await TestClients.For(server).EditAsync(Edit("a gift basket with these four items", images: inputs)));

        var request = Assert.Single(server.Requests);
        var parts = request.Parts!.Where(p => p.IsFile).ToList();
        Assert.Equal(4, parts.Count);
        Assert.All(parts, p => Assert.Equal("image[]", p.Name));
        Assert.Equal(inputs.Select(i => i.Data), parts.Select(p => p.Data));
        Assert.Equal(new[] { "body-lotion.png", "bath-bomb.png", "incense-kit.png", "soap.png" }, parts.Select(p => p.FileName));
        GenerationTests.AssertImage(image.Bytes, ImageFormat.Png, 1024, 1024);
    }

    [Fact]
    public async Task AMaskEditChangesOnlyTheTransparentRegionOfTheFirstImage()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        var source = TestImages.Solid(1024, 1024, 30, 60, 90);
        var other = TestImages.Solid(1024, 1024, 200, 10, 10);
        var request = Edit("a flamingo in the pool", images: new[] { new ImageInput(source, "lounge.png"), new ImageInput(other, "second.png") });
        request.Mask = new ImageInput(TestImages.LeftHalfTransparentMask(1024, 1024), "mask.png");
        var result = Assert.Single(await TestClients.For(server).EditAsync(request));

        Assert.Single(server.Requests.Single().PartsNamed("mask"));
        var before = PngDecoder.Decode(source).Pixels;
        var after = PngDecoder.Decode(result.Bytes).Pixels;
        Assert.Equal(before.Length, after.Length);
        int changedLeft = 0, changedRight = 0;
        for (int y = 0; y < 1024; y++)
            for (int x = 0; x < 1024; x++)
            {
                int i = (y * 1024 + x) * 4;
                bool changed = before[i] != after[i] || before[i + 1] != after[i + 1] || before[i + 2] != after[i + 2];
                if (changed && x < 512) changedLeft++;
                if (changed && x >= 512) changedRight++;
            }
        Assert.Equal(512 * 1024, changedLeft);
        Assert.Equal(0, changedRight);
    }

    [Fact]
    public async Task DallE2EditAndVariationReturnUrlsThatAreSavedToDisk()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        var client = TestClients.For(server);
        var observer = new RecordingObserver();
        var edit = Edit("a hat on the cat", "dall-e-2", new ImageInput(TestImages.Solid(256, 256, 0, 0, 0, 0), "cat.png"));
        edit.Count = 2;
        edit.ResponseFormat = "url";
        var edited = await client.EditAsync(edit, observer);
        var variation = new ImageVariationRequest(ImageInput.FromFile(File("otter.png", TestImages.Solid(256, 256, 10, 120, 140)))) { Count = 2, Size = "256x256", ResponseFormat = "url" };
        var varied = await client.CreateVariationAsync(variation, observer);

        Assert.Equal(2, edited.Count);
        Assert.Equal(2, varied.Count);
        Assert.All(edited.Concat(varied), i => Assert.NotNull(i.Url));
        Assert.Contains(observer.Warnings, w => w.Contains("dall-e-2"));
        var output = Path.Combine(_dir, "out");
        foreach (var batch in new[] { edited, varied })
        {
            var saved = await ImageSaver.SaveAllAsync(batch, new ImageSaveTarget { Directory = output }, null, CancellationToken.None);
            Assert.Empty(saved.SaveErrors);
        }
        var files = Directory.GetFiles(output);
        Assert.Equal(4, files.Length);
        Assert.All(files, f => GenerationTests.AssertImage(System.IO.File.ReadAllBytes(f), ImageFormat.Png, 256, 256));

        var variationRequest = server.Requests.Single(r => r.Operation == ApiOperation.Variations);
        Assert.Equal("image", variationRequest.Parts!.Single(p => p.IsFile).Name);
        Assert.Equal("dall-e-2", variationRequest.Field("model"));
        Assert.Equal("2", variationRequest.Field("n"));
        Assert.Equal("url", variationRequest.Field("response_format"));
    }

    [Fact]
    public async Task AJsonEditReferencesImagesByUrlAndFileId()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        var request = new ImageEditRequest { Prompt = "add a watercolor effect", Model = "gpt-image-1.5", Size = "1024x1024", Quality = "high", InputFidelity = "high" };
        request.References.Add(ImageReference.FromUrl("https://example.test/source-image.png"));
        request.References.Add(ImageReference.FromFileId("file-abc123"));
        request.MaskReference = ImageReference.FromFileId("file-mask123");
        var image = Assert.Single(await TestClients.For(server).EditAsync(request));
        GenerationTests.AssertImage(image.Bytes, ImageFormat.Png, 1024, 1024);

        var recorded = Assert.Single(server.Requests);
        Assert.StartsWith("application/json", recorded.ContentType);
        var json = recorded.Json!.Value;
        var images = json.GetProperty("images").EnumerateArray().ToList();
        Assert.Equal("https://example.test/source-image.png", images[0].GetProperty("image_url").GetString());
        Assert.False(images[0].TryGetProperty("file_id", out _));
        Assert.Equal("file-abc123", images[1].GetProperty("file_id").GetString());
        Assert.Equal("file-mask123", json.GetProperty("mask").GetProperty("file_id").GetString());
        Assert.Equal("high", json.GetProperty("input_fidelity").GetString());
        var spec = SpecSchema.Load("EditImageBodyJsonParam");
        Assert.All(json.EnumerateObject(), p => Assert.Contains(p.Name, spec.Properties));
    }

    [Fact]
    public async Task AMultipartEditSendsOnlyFieldsOfCreateImageEditRequest()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        var request = Edit("a watercolor", images: new ImageInput(TestImages.Solid(64, 64, 1, 2, 3), "a.png"));
        request.Count = 2;
        request.Quality = "low";
        request.Background = "transparent";
        request.OutputFormat = "webp";
        request.OutputCompression = 60;
        request.InputFidelity = "high";
        request.User = "user-1234";
        Assert.Equal(2, (await TestClients.For(server).EditAsync(request)).Count);

        var recorded = Assert.Single(server.Requests);
        var spec = SpecSchema.Load("CreateImageEditRequest");
        Assert.All(recorded.Parts!, p => Assert.Contains(p.Name.TrimEnd('[', ']'), spec.Properties));
    }

    [Theory]
    [InlineData("auto")]
    [InlineData("1536x1024")]
    public async Task AJsonEditTakesTheSizesOfItsSchema(string size)
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        var request = new ImageEditRequest { Prompt = "snow", Model = "gpt-image-2", Size = size, Quality = "low" };
        request.References.Add(ImageReference.FromFileId("file-abc123"));
        Assert.Single(await TestClients.For(server).EditAsync(request));
        Assert.Equal(size, Assert.Single(server.Requests).Json!.Value.GetProperty("size").GetString());
    }

    [Fact]
    public async Task AMultipartEditWithGptImage2TakesAFreeSize()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        var request = Edit("snow", "gpt-image-2", new ImageInput(TestImages.Solid(64, 64, 1, 2, 3), "a.png"));
        request.Size = "1536x864";
        request.Quality = "low";
        var image = Assert.Single(await TestClients.For(server).EditAsync(request));
        GenerationTests.AssertImage(image.Bytes, ImageFormat.Png, 1536, 864);
    }

    [Fact]
    public async Task AJsonEditSendsTheSpecExampleOfPngWithCompression100()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        var request = new ImageEditRequest { Prompt = "Replace the background with a snowy mountain scene", Model = "gpt-image-1.5", OutputFormat = "png", OutputCompression = 100, Quality = "low" };
        request.References.Add(ImageReference.FromFileId("file-abc123"));
        request.MaskReference = ImageReference.FromFileId("file-mask123");
        Assert.Single(await TestClients.For(server).EditAsync(request));
        var json = Assert.Single(server.Requests).Json!.Value;
        Assert.Equal("png", json.GetProperty("output_format").GetString());
        Assert.Equal(100, json.GetProperty("output_compression").GetInt32());
    }

    [Fact]
    public async Task AnEditSendsAKnownModelInTheCatalogsSpelling()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        var request = Edit("x", "DALL-E-2", new ImageInput(TestImages.Solid(64, 64, 0, 0, 0, 0), "a.png"));
        request.Size = "256x256";
        request.ResponseFormat = "b64_json";
        Assert.Single(await TestClients.For(server).EditAsync(request));
        Assert.Equal("dall-e-2", Assert.Single(server.Requests).Field("model"));

        server.ClearRequests();
        Assert.Single(await TestClients.For(server).CreateVariationAsync(new ImageVariationRequest(new ImageInput(TestImages.Solid(64, 64, 1, 1, 1), "a.png")) { Model = "Dall-E-2", Size = "256x256" }));
        Assert.Equal("dall-e-2", Assert.Single(server.Requests).Field("model"));
    }

    [Fact]
    public async Task AJsonEditCarriesModeration()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        var request = new ImageEditRequest { Prompt = "snow", Model = "gpt-image-1.5", Moderation = "low", Quality = "low" };
        request.References.Add(ImageReference.FromFileId("file-abc123"));
        Assert.Single(await TestClients.For(server).EditAsync(request));
        Assert.Equal("low", Assert.Single(server.Requests).Json!.Value.GetProperty("moderation").GetString());
    }

    [Fact]
    public async Task ThreeEditsChainThroughObjectsWithoutFiles()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        var client = TestClients.For(server);
        var current = Assert.Single(await client.GenerateAsync(new ImageGenerationRequest { Prompt = "a cat", Size = "1024x1024", Quality = "low" }));
        var chain = new List<GeneratedImage> { current };
        foreach (var prompt in new[] { "now in the rain", "add an umbrella", "make it night" })
        {
            current = Assert.Single(await client.EditAsync(Edit(prompt, "gpt-image-2", new ImageInput(current.Bytes!, $"result of '{current.Prompt}'"))));
            chain.Add(current);
        }
        var edits = server.Requests.Where(r => r.Operation == ApiOperation.Edits).ToList();
        Assert.Equal(3, edits.Count);
        for (int i = 0; i < 3; i++) Assert.Equal(chain[i].Bytes, edits[i].Parts!.Single(p => p.IsFile).Data);
        Assert.All(chain, image => Assert.Null(image.Path));
        Assert.Equal(4, chain.Select(c => Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(c.Bytes!))).Distinct().Count());
        Assert.Empty(Directory.GetFiles(_dir, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task AMaskMadeByAlphaMaskIsTakenAsItIs()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        // Black and white, no alpha: the black left half is the part to edit.
        var bw = new byte[256 * 256];
        for (int y = 0; y < 256; y++) for (int x = 0; x < 256; x++) bw[y * 256 + x] = x < 128 ? (byte)0 : (byte)255;
        var mask = AlphaMask.ToPng(PngEncoder.EncodeGray(256, 256, bw));
        var source = TestImages.Solid(256, 256, 10, 200, 30);
        var request = Edit("a pond", images: new ImageInput(source, "garden.png"));
        request.Mask = new ImageInput(mask, "mask.png");
        var result = Assert.Single(await TestClients.For(server).EditAsync(request));

        var before = PngDecoder.Decode(source).Pixels;
        var after = PngDecoder.Decode(EditPainterResize(result.Bytes!, 256)).Pixels;
        for (int x = 0; x < 256; x++)
        {
            int i = (100 * 256 + x) * 4;
            bool changed = before[i] != after[i] || before[i + 1] != after[i + 1] || before[i + 2] != after[i + 2];
            Assert.True(changed == x < 128, $"pixel {x} changed={changed}");
        }
    }

    /// <summary>The server answers at the requested size (1024); nearest-neighbour back to the input's size.</summary>
    private static byte[] EditPainterResize(byte[] png, int size)
    {
        var image = PngDecoder.Decode(png);
        return PngEncoder.EncodeRgba(size, size, OpenAIImages.FakeApi.Imaging.EditPainter.Resize(image.Pixels, image.Width, image.Height, size, size));
    }

    public static TheoryData<string, Func<EditTests, ImageEditRequest>, string> InvalidInputs() => new()
    {
        { "missing file", t => Edit("x", images: ImageInput.FromFile(Path.Combine(t._dir, "missing.png"))), ErrorIds.ImageNotFound },
        { "text file named .png", t => Edit("x", images: ImageInput.FromFile(t.File("notes.png", "hello"u8.ToArray()))), ErrorIds.ImageFormatUnsupported },
        { "GPT image of 50 MB", t => Edit("x", images: new ImageInput(TestImages.PngOfLength(64, 64, 50L * 1024 * 1024), "huge.png")), ErrorIds.ImageTooLarge },
        { "dall-e-2 image of 4 MB", t => Edit("x", "dall-e-2", new ImageInput(TestImages.PngOfLength(64, 64, 4L * 1024 * 1024), "big.png")), ErrorIds.ImageTooLarge },
        { "dall-e-2 JPEG", t => Edit("x", "dall-e-2", new ImageInput(new byte[] { 0xFF, 0xD8, 0xFF, 0xC0, 0, 11, 8, 0, 64, 0, 64, 3, 0, 0, 0, 0, 0 }, "photo.jpg")), ErrorIds.ImageFormatUnsupported },
        { "dall-e-2 not square", t => Edit("x", "dall-e-2", new ImageInput(TestImages.Solid(512, 256, 0, 0, 0, 0), "wide.png")), ErrorIds.ImageNotSquare },
        { "dall-e-2 no alpha and no mask", t => Edit("x", "dall-e-2", new ImageInput(TestImages.Gray(256, 256, 9), "opaque.png")), ErrorIds.ImageHasNoAlpha },
        { "mask of another size", t => WithMask(Edit("x", images: new ImageInput(TestImages.Solid(64, 64, 1, 1, 1), "a.png")), new ImageInput(TestImages.LeftHalfTransparentMask(32, 32), "mask.png")), ErrorIds.MaskSizeMismatch },
        { "mask of 4 MB", t => WithMask(Edit("x", images: new ImageInput(TestImages.Solid(64, 64, 1, 1, 1), "a.png")), new ImageInput(TestImages.PngOfLength(64, 64, 4L * 1024 * 1024), "mask.png")), ErrorIds.MaskTooLarge },
        { "mask without alpha", t => WithMask(Edit("x", images: new ImageInput(TestImages.Solid(64, 64, 1, 1, 1), "a.png")), new ImageInput(TestImages.Gray(64, 64, 0), "mask.png")), ErrorIds.MaskHasNoAlpha },
        { "mask that is a JPEG", t => WithMask(Edit("x", images: new ImageInput(TestImages.Solid(64, 64, 1, 1, 1), "a.png")), new ImageInput(new byte[] { 0xFF, 0xD8, 0xFF, 0xC0, 0, 11, 8, 0, 64, 0, 64, 3, 0, 0, 0, 0, 0 }, "mask.jpg")), ErrorIds.MaskFormatUnsupported },
        { "17 images", t => Edit("x", images: Enumerable.Range(0, 17).Select(i => new ImageInput(TestImages.Solid(8, 8, (byte)i, 0, 0), $"{i}.png")).ToArray()), ErrorIds.TooManyImages },
        { "two images for dall-e-2", t => Edit("x", "dall-e-2", new ImageInput(TestImages.Solid(64, 64, 0, 0, 0, 0), "a.png"), new ImageInput(TestImages.Solid(64, 64, 0, 0, 0, 0), "b.png")), ErrorIds.TooManyImages },
        { "no image", t => Edit("x"), ErrorIds.ImageMissing },
        { "input fidelity on gpt-image-1-mini", t => With(Edit("x", "gpt-image-1-mini", new ImageInput(TestImages.Solid(64, 64, 1, 1, 1), "a.png")), r => r.InputFidelity = "high"), ErrorIds.ParameterNotSupportedByModel },
        { "moderation with uploaded images (CreateImageEditRequest has no moderation)", t => With(Edit("x", images: new ImageInput(TestImages.Solid(64, 64, 1, 1, 1), "a.png")), r => r.Moderation = "low"), ErrorIds.ParameterNotSupportedForInput },
        { "edits on dall-e-3", t => Edit("x", "dall-e-3", new ImageInput(TestImages.Solid(64, 64, 1, 1, 1), "a.png")), ErrorIds.ModelEndpointNotSupported },
        { "JSON edit with dall-e-2", t => With(new ImageEditRequest { Prompt = "x", Model = "dall-e-2" }, r => r.References.Add(ImageReference.FromUrl("https://example.test/a.png"))), ErrorIds.ParameterNotSupportedByModel },
        { "JSON edit with a gpt-image-2 free size (EditImageBodyJsonParam's size is an enum)", t => With(new ImageEditRequest { Prompt = "x", Model = "gpt-image-2", Size = "2048x2048" }, r => r.References.Add(ImageReference.FromFileId("file-abc123"))), ErrorIds.SizeNotSupported },
        { "JSON edit with a free size on an unknown model", t => With(new ImageEditRequest { Prompt = "x", Model = "my-model", Size = "1536x864" }, r => r.References.Add(ImageReference.FromFileId("file-abc123"))), ErrorIds.SizeNotSupported },
        { "JSON edit with response_format (EditImageBodyJsonParam has none)", t => With(new ImageEditRequest { Prompt = "x", Model = "my-model", ResponseFormat = "url" }, r => r.References.Add(ImageReference.FromFileId("file-abc123"))), ErrorIds.ParameterNotSupportedForInput },
        { "JSON edit with a data URL over ImageRefParam's 20,971,520 characters", t => With(new ImageEditRequest { Prompt = "x" }, r => r.References.Add(ImageReference.FromUrl("data:image/png;base64," + new string('A', 20971520)))), ErrorIds.ImageReferenceInvalid },
        { "JSON edit mask URL over the limit", t => With(new ImageEditRequest { Prompt = "x" }, r => { r.References.Add(ImageReference.FromFileId("file-1")); r.MaskReference = ImageReference.FromUrl("https://example.test/" + new string('m', 20971520)); }), ErrorIds.ImageReferenceInvalid },
        { "JSON edit prompt over 32000 with an unknown model", t => With(new ImageEditRequest { Prompt = new string('p', 32001), Model = "my-model" }, r => r.References.Add(ImageReference.FromFileId("file-1"))), ErrorIds.PromptTooLong },
        { "JSON edit with a bad URL", t => With(new ImageEditRequest { Prompt = "x" }, r => r.References.Add(ImageReference.FromUrl("ftp://example.test/a.png"))), ErrorIds.ImageReferenceInvalid },
    };

    [Theory]
    [MemberData(nameof(InvalidInputs))]
    public async Task InvalidInputIsRefusedBeforeAnyRequest(string because, Func<EditTests, ImageEditRequest> make, string errorId)
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        var error = await Assert.ThrowsAsync<ImageRequestException>(async () => await TestClients.For(server).EditAsync(make(this)));
        Assert.True(error.ErrorId == errorId, $"{because}: {error.ErrorId}: {error.Message}");
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task ErrorsNameTheFile()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        string path = File("wide.png", TestImages.Solid(300, 200, 0, 0, 0, 0));
        var error = await Assert.ThrowsAsync<ImageRequestException>(() => TestClients.For(server).EditAsync(Edit("x", "dall-e-2", ImageInput.FromFile(path))));
        Assert.Contains(path, error.Message);
        Assert.Contains("300x200", error.Message);
    }

    [Theory]
    [InlineData("too large", ErrorIds.ImageTooLarge)]
    [InlineData("size of another endpoint", ErrorIds.SizeNotSupported)]
    [InlineData("auto size", ErrorIds.SizeNotSupported)]
    public async Task VariationsWithAModelTheCatalogDoesNotKnowKeepTheEndpointsRules(string what, string errorId)
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        var request = what switch
        {
            "too large" => new ImageVariationRequest(new ImageInput(TestImages.PngOfLength(64, 64, 4L * 1024 * 1024), "a.png")),
            "size of another endpoint" => new ImageVariationRequest(new ImageInput(TestImages.Solid(64, 64, 1, 1, 1), "a.png")) { Size = "1536x1024" },
            _ => new ImageVariationRequest(new ImageInput(TestImages.Solid(64, 64, 1, 1, 1), "a.png")) { Size = "auto" },
        };
        request.Model = "my-dalle2-deployment";
        var error = await Assert.ThrowsAsync<ImageRequestException>(() => TestClients.For(server).CreateVariationAsync(request));
        Assert.Equal(errorId, error.ErrorId);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public void AJsonEditAtTheSchemasBoundsPasses()
    {
        const string Head = "data:image/png;base64,";
        var request = new ImageEditRequest { Prompt = new string('p', 32000), Model = "my-model" };
        request.References.Add(ImageReference.FromUrl(Head + new string('A', 20971520 - Head.Length)));
        Assert.Null(ImageRequestValidator.Prepare(request).Model);
    }

    [Fact]
    public void AVariationWithAModelTheCatalogDoesNotKnowPassesTheEndpointsRules()
    {
        var request = new ImageVariationRequest(new ImageInput(TestImages.Solid(64, 64, 1, 1, 1), "a.png")) { Model = "my-dalle2-deployment", Size = "512x512", Count = 10 };
        Assert.Null(ImageRequestValidator.Prepare(request).Model);
    }

    [Theory]
    [InlineData("jpeg file", ErrorIds.ImageFormatUnsupported)]
    [InlineData("not square", ErrorIds.ImageNotSquare)]
    [InlineData("too large", ErrorIds.ImageTooLarge)]
    public async Task VariationsCheckTheirInputToo(string what, string errorId)
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        var input = what switch
        {
            "jpeg file" => new ImageInput(new byte[] { 0xFF, 0xD8, 0xFF, 0xC0, 0, 11, 8, 0, 64, 0, 64, 3, 0, 0, 0, 0, 0 }, "a.jpg"),
            "not square" => new ImageInput(TestImages.Solid(64, 32, 1, 1, 1), "a.png"),
            _ => new ImageInput(TestImages.PngOfLength(64, 64, 4L * 1024 * 1024), "a.png"),
        };
        var error = await Assert.ThrowsAsync<ImageRequestException>(() => TestClients.For(server).CreateVariationAsync(new ImageVariationRequest(input)));
        Assert.Equal(errorId, error.ErrorId);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task ABatchOfThreeFilesWithOneBadYieldsTwoResultsAndOneErrorInOrder()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        var client = TestClients.For(server);
        var files = new[] { File("one.png", TestImages.Solid(64, 64, 9, 9, 9)), File("two.png", "not an image"u8.ToArray()), File("three.png", TestImages.Solid(64, 64, 90, 90, 90)) };
        using var batch = new OrderedBatch<IReadOnlyList<GeneratedImage>>(2, CancellationToken.None);
        foreach (var file in files)
        {
            var request = Edit("sharpen", images: ImageInput.FromFile(file));
            try
            {
                ImageRequestValidator.Prepare(request);
                batch.Add(file, token => client.EditAsync(request, null, token));
            }
            catch (ImageRequestException e)
            {
                batch.AddFailed(file, e);
            }
        }
        var outcomes = new List<BatchOutcome<IReadOnlyList<GeneratedImage>>>();
        while (await batch.TakeNextAsync() is { } outcome) outcomes.Add(outcome);

        Assert.Equal(files, outcomes.Select(o => (string)o.Tag!));
        Assert.NotNull(outcomes[0].Result);
        Assert.Equal(ErrorIds.ImageFormatUnsupported, Assert.IsType<ImageRequestException>(outcomes[1].Error).ErrorId);
        Assert.NotNull(outcomes[2].Result);
        Assert.Equal(2, outcomes.Count(o => o.Result != null));
        Assert.Equal(2, server.Requests.Count);
    }

    private static ImageEditRequest WithMask(ImageEditRequest request, ImageInput mask)
    {
        request.Mask = mask;
        return request;
    }

    private static ImageEditRequest With(ImageEditRequest request, Action<ImageEditRequest> change)
    {
        change(request);
        return request;
    }
}
