using OpenAIImages.Engine;
using OpenAIImages.Engine.Requests;
using OpenAIImages.Engine.Validation;
using Xunit;

namespace OpenAIImages.Tests.Engine;

public class ValidationTests
{
    private static ImageGenerationRequest Request(string model = "gpt-image-2", string prompt = "a lighthouse at dusk") => new() { Model = model, Prompt = prompt };

    public static TheoryData<string, ImageGenerationRequest, string> BadRequests() => new()
    {
        { "empty prompt", Request(prompt: ""), ErrorIds.PromptEmpty },
        { "blank prompt", Request(prompt: "   "), ErrorIds.PromptEmpty },
        { "prompt over dall-e-2's 1000", Request("dall-e-2", new string('a', 1001)), ErrorIds.PromptTooLong },
        { "prompt over dall-e-3's 4000", Request("dall-e-3", new string('a', 4001)), ErrorIds.PromptTooLong },
        { "prompt over GPT's 32000", Request("gpt-image-1", new string('a', 32001)), ErrorIds.PromptTooLong },
        { "1001 emoji for dall-e-2", Request("dall-e-2", string.Concat(Enumerable.Repeat("\U0001F600", 1001))), ErrorIds.PromptTooLong },
        { "size dall-e-3 does not take", With(Request("dall-e-3"), r => r.Size = "512x512"), ErrorIds.SizeNotSupported },
        { "size dall-e-2 does not take", With(Request("dall-e-2"), r => r.Size = "1536x1024"), ErrorIds.SizeNotSupported },
        { "free size on gpt-image-1", With(Request("gpt-image-1"), r => r.Size = "1536x864"), ErrorIds.SizeNotSupported },
        { "gpt-image-2 1000x1000", With(Request(), r => r.Size = "1000x1000"), ErrorIds.SizeNotSupported },
        { "gpt-image-2 4000x1000", With(Request(), r => r.Size = "4000x1000"), ErrorIds.SizeNotSupported },
        { "unparseable size", With(Request(), r => r.Size = "huge"), ErrorIds.SizeInvalid },
        { "n=11", With(Request(), r => r.Count = 11), ErrorIds.CountOutOfRange },
        { "n=0", With(Request(), r => r.Count = 0), ErrorIds.CountOutOfRange },
        { "n=2 on dall-e-3", With(Request("dall-e-3"), r => r.Count = 2), ErrorIds.CountOutOfRange },
        { "n=11 on an unknown model", With(Request("my-model"), r => r.Count = 11), ErrorIds.CountOutOfRange },
        { "compression with png", With(Request(), r => { r.OutputFormat = "png"; r.OutputCompression = 50; }), ErrorIds.OutputCompressionRequiresJpegOrWebp },
        { "compression with the default format", With(Request(), r => r.OutputCompression = 50), ErrorIds.OutputCompressionRequiresJpegOrWebp },
        { "compression over 100", With(Request(), r => { r.OutputFormat = "jpeg"; r.OutputCompression = 101; }), ErrorIds.OutputCompressionOutOfRange },
        { "transparent jpeg", With(Request(), r => { r.OutputFormat = "jpeg"; r.Background = "transparent"; }), ErrorIds.TransparentBackgroundRequiresPngOrWebp },
        { "style on gpt-image-2", With(Request(), r => r.Style = "vivid"), ErrorIds.ParameterNotSupportedByModel },
        { "style on gpt-image-1", With(Request("gpt-image-1"), r => r.Style = "natural"), ErrorIds.ParameterNotSupportedByModel },
        { "response_format on GPT", With(Request(), r => r.ResponseFormat = "url"), ErrorIds.ParameterNotSupportedByModel },
        { "output_format on dall-e-3", With(Request("dall-e-3"), r => r.OutputFormat = "webp"), ErrorIds.ParameterNotSupportedByModel },
        { "background on dall-e-2", With(Request("dall-e-2"), r => r.Background = "transparent"), ErrorIds.ParameterNotSupportedByModel },
        { "hd on gpt-image-2", With(Request(), r => r.Quality = "hd"), ErrorIds.ValueNotSupported },
        { "high on dall-e-3", With(Request("dall-e-3"), r => r.Quality = "high"), ErrorIds.ValueNotSupported },
        { "unknown style value", With(Request("dall-e-3"), r => r.Style = "gothic"), ErrorIds.ValueNotSupported },
        { "unknown output format on unknown model", With(Request("my-model"), r => r.OutputFormat = "gif"), ErrorIds.ValueNotSupported },
        { "stream on dall-e-3", With(Request("dall-e-3"), r => r.Stream = true), ErrorIds.StreamingNotSupported },
        { "partial images 4", With(Request(), r => { r.Stream = true; r.PartialImages = 4; }), ErrorIds.PartialImagesOutOfRange },
        { "partial images without stream", With(Request(), r => r.PartialImages = 2), ErrorIds.PartialImagesRequireStream },
        { "generation with a model that only edits is fine, but dall-e-2 variation model is not for edits", With(Request(""), _ => { }), ErrorIds.ModelNameEmpty },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public void BadInputIsRefusedWithItsOwnId(string because, ImageGenerationRequest request, string errorId)
    {
        var error = Assert.Throws<ImageRequestException>(() => ImageRequestValidator.Prepare(request));
        Assert.True(errorId == error.ErrorId, $"{because}: expected {errorId}, got {error.ErrorId} ({error.Message})");
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
    }

    public static TheoryData<string, ImageGenerationRequest> GoodRequests() => new()
    {
        { "defaults", Request() },
        { "gpt-image-2 free size", With(Request(), r => r.Size = "1536x864") },
        { "transparent webp", With(Request("gpt-image-1"), r => { r.Background = "transparent"; r.OutputFormat = "webp"; r.OutputCompression = 80; }) },
        { "dall-e-3 hd natural", With(Request("dall-e-3"), r => { r.Quality = "hd"; r.Style = "natural"; r.Size = "1792x1024"; r.ResponseFormat = "b64_json"; }) },
        { "dall-e-2 n=3 url", With(Request("dall-e-2"), r => { r.Count = 3; r.Size = "512x512"; r.ResponseFormat = "url"; }) },
        { "unknown model takes any size and parameter", With(Request("my-model"), r => { r.Size = "1000x1000"; r.Style = "vivid"; r.Quality = "ultra"; }) },
        { "streaming GPT", With(Request(), r => { r.Stream = true; r.PartialImages = 3; }) },
        { "1000 emoji for dall-e-2: the API counts characters, not UTF-16 units", Request("dall-e-2", string.Concat(Enumerable.Repeat("\U0001F600", 1000))) },
        { "4000 characters outside the BMP for dall-e-3", Request("dall-e-3", string.Concat(Enumerable.Repeat("\U00020000", 4000))) },
        { "compression 100 with png, as the spec's JSON edit example sends it", With(Request(), r => { r.OutputFormat = "png"; r.OutputCompression = 100; }) },
        { "compression 100 with the default format", With(Request(), r => r.OutputCompression = 100) },
        { "mixed case values", With(Request("gpt-image-1"), r => { r.Quality = "HIGH"; r.OutputFormat = "JPEG"; r.OutputCompression = 0; }) },
    };

    [Theory]
    [MemberData(nameof(GoodRequests))]
    public void GoodInputPasses(string because, ImageGenerationRequest request)
    {
        var validated = ImageRequestValidator.Prepare(request);
        Assert.True(validated != null, because);
    }

    [Fact]
    public void MessagesSayWhatToChange()
    {
        var style = Assert.Throws<ImageRequestException>(() => ImageRequestValidator.Prepare(With(Request(), r => r.Style = "vivid")));
        Assert.Contains("dall-e-3", style.Message);
        Assert.Contains("Remove -Style", style.Message);
        Assert.Equal("style", style.ParameterName);

        var size = Assert.Throws<ImageRequestException>(() => ImageRequestValidator.Prepare(With(Request(), r => r.Size = "1000x1000")));
        Assert.Contains("multiples of 16", size.Message);
        Assert.Contains("1008x1008", size.Message);

        var ratio = Assert.Throws<ImageRequestException>(() => ImageRequestValidator.Prepare(With(Request(), r => r.Size = "4000x1000")));
        Assert.Contains("aspect ratio", ratio.Message);

        var emoji = Assert.Throws<ImageRequestException>(() => ImageRequestValidator.Prepare(Request("dall-e-2", string.Concat(Enumerable.Repeat("\U0001F600", 1002)))));
        Assert.Contains("1,002 characters", emoji.Message);
        Assert.Contains("Shorten it by 2 characters", emoji.Message);

        var compression = Assert.Throws<ImageRequestException>(() => ImageRequestValidator.Prepare(With(Request(), r => r.OutputCompression = 50)));
        Assert.Contains("-OutputFormat jpeg", compression.Message);
    }

    private static ImageGenerationRequest With(ImageGenerationRequest request, Action<ImageGenerationRequest> change)
    {
        change(request);
        return request;
    }

    [Fact]
    public void MessagesSuggestOnlyModelsApiOpenAIComStillServes()
    {
        var edit = new ImageEditRequest { Model = "dall-e-3", Prompt = "a hat" };
        edit.References.Add(ImageReference.FromUrl("https://example.test/a.png"));
        var noEdits = Assert.Throws<ImageRequestException>(() => ImageRequestValidator.Prepare(edit));
        Assert.Equal(ErrorIds.ModelEndpointNotSupported, noEdits.ErrorId);
        Assert.Contains("gpt-image-2", noEdits.Message);
        foreach (var retired in new[] { "gpt-image-1.5", "gpt-image-1-mini", "chatgpt-image-latest", "dall-e-2" })
            Assert.DoesNotContain(retired, noEdits.Message);

        var style = Assert.Throws<ImageRequestException>(() => ImageRequestValidator.Prepare(With(Request(), r => r.Style = "vivid")));
        Assert.Contains("dall-e-3 (shut down on api.openai.com; for Azure OpenAI and compatible servers", style.Message);
    }
}
