using OpenAIImages.Engine.Models;
using Xunit;

namespace OpenAIImages.Tests.Engine;

public class ModelCatalogTests
{
    [Theory]
    [InlineData("gpt-image-2")]
    [InlineData("gpt-image-2-2026-04-21")]
    [InlineData("gpt-image-1.5")]
    [InlineData("gpt-image-1")]
    [InlineData("gpt-image-1-mini")]
    [InlineData("dall-e-3")]
    [InlineData("dall-e-2")]
    public void EveryModelOfTheSpecHasARow(string name)
    {
        var model = ModelCatalog.Find(name);
        Assert.NotNull(model);
        Assert.Equal(name, model!.Name);
        Assert.True(model.MaxPromptLength > 0);
        Assert.NotEmpty(model.Sizes);
        Assert.NotEmpty(model.Qualities);
    }

    [Fact]
    public void UnknownNamesHaveNoRow() => Assert.Null(ModelCatalog.Find("my-local-diffusion"));

    [Fact]
    public void TheRowsFollowTheSpec()
    {
        var d3 = ModelCatalog.Find("dall-e-3")!;
        Assert.Equal(1, d3.MaxCount);
        Assert.Equal(4000, d3.MaxPromptLength);
        Assert.Equal(new[] { "1024x1024", "1792x1024", "1024x1792" }, d3.Sizes);
        Assert.Contains("hd", d3.Qualities);
        Assert.Equal(new[] { "vivid", "natural" }, d3.Styles);
        Assert.False(d3.Supports(ImageEndpoints.Edits));

        var d2 = ModelCatalog.Find("dall-e-2")!;
        Assert.Equal(1000, d2.MaxPromptLength);
        Assert.True(d2.Supports(ImageEndpoints.Variations));
        Assert.Empty(d2.OutputFormats);
        Assert.True(d2.InputMustBeSquarePng);

        var mini = ModelCatalog.Find("gpt-image-1-mini")!;
        Assert.False(mini.SupportsInputFidelity);
        Assert.True(ModelCatalog.Find("gpt-image-1")!.SupportsInputFidelity);
        Assert.All(ModelCatalog.All.Where(m => m.Family == ModelFamily.GptImage), m =>
        {
            Assert.True(m.SupportsStreaming);
            Assert.Equal(32000, m.MaxPromptLength);
            Assert.Equal(16, m.MaxInputImages);
            Assert.Empty(m.ResponseFormats);
            Assert.Empty(m.Styles);
        });
    }

    [Theory]
    [InlineData("1536x864", true)]
    [InlineData("1024x1024", true)]
    [InlineData("3840x2160", true)]
    [InlineData("2160x3840", true)]
    [InlineData("3840x1280", true)] // exactly 3:1
    [InlineData("auto", true)]
    [InlineData("1000x1000", false)] // not multiples of 16
    [InlineData("4000x1000", false)] // 4:1
    [InlineData("3856x1296", false)] // edge over 3840
    [InlineData("3840x2176", false)] // over 3840x2160 pixels
    [InlineData("1024x3088", false)] // steeper than 1:3
    public void GptImage2TakesFreeSizesWithinItsLimits(string size, bool allowed)
    {
        Assert.True(ImageSize.TryParse(size, out var parsed));
        Assert.Equal(allowed, ModelCatalog.Find("gpt-image-2")!.AcceptsSize(parsed, out var reason));
        Assert.Equal(allowed, reason == null);
    }

    [Fact]
    public void FixedSizeModelsRefuseFreeSizes()
    {
        Assert.True(ImageSize.TryParse("1536x864", out var size));
        Assert.False(ModelCatalog.Find("gpt-image-1")!.AcceptsSize(size, out var reason));
        Assert.Contains("1536x1024", reason);
    }

    [Fact]
    public void ShutdownDatesProduceWarnings()
    {
        var d2 = ModelCatalog.Find("dall-e-2")!;
        var after = ModelCatalog.ShutdownWarning(d2, new DateTimeOffset(2026, 11, 21, 0, 0, 0, TimeSpan.Zero));
        Assert.Contains("was shut down on api.openai.com on 2026-05-12", after);
        Assert.Contains("sent anyway", after);
        var before = ModelCatalog.ShutdownWarning(d2, new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        Assert.Contains("shuts down on api.openai.com on 2026-05-12", before);
        Assert.Null(ModelCatalog.ShutdownWarning(ModelCatalog.Find("gpt-image-2")!, DateTimeOffset.UtcNow));
    }

    [Theory]
    [InlineData("dall-e-2", "2026-05-12")]
    [InlineData("dall-e-3", "2026-05-12")]
    [InlineData("gpt-image-1", "2026-10-23")]
    [InlineData("gpt-image-1.5", "2026-12-01")]
    [InlineData("gpt-image-1.5-2025-12-16", "2026-12-01")]
    [InlineData("gpt-image-1-mini", "2026-12-01")]
    [InlineData("chatgpt-image-latest", "2026-12-01")]
    public void EveryModelShutDownOnApiOpenAIComWarnsWithItsDateAndGptImage2(string name, string date)
    {
        var model = ModelCatalog.Find(name)!;
        Assert.Equal(date, model.ShutdownDate?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("gpt-image-2", model.Replacement);
        string? warning = ModelCatalog.ShutdownWarning(model, new DateTimeOffset(2026, 12, 6, 0, 0, 0, TimeSpan.Zero));
        Assert.Contains($"was shut down on api.openai.com on {date}", warning);
        Assert.Contains("gpt-image-2", warning);
    }

    [Theory]
    [InlineData("1024x1024", 1024, 1024)]
    [InlineData(" 1536X1024 ", 1536, 1024)]
    [InlineData("1536\u00D71024", 1536, 1024)]
    public void SizesParse(string text, int w, int h)
    {
        Assert.True(ImageSize.TryParse(text, out var size));
        Assert.Equal(w, size.Width);
        Assert.Equal(h, size.Height);
    }

    [Theory]
    [InlineData("")]
    [InlineData("1024")]
    [InlineData("x1024")]
    [InlineData("0x1024")]
    [InlineData("-5x10")]
    [InlineData("big")]
    public void NonsenseSizesDoNotParse(string text) => Assert.False(ImageSize.TryParse(text, out _));

    [Fact]
    public void TokenEstimatesFollowThePublishedTable()
    {
        var gpt = ModelCatalog.Find("gpt-image-1")!;
        Assert.Equal(272, TokenEstimator.OutputTokensPerImage(gpt, new ImageSize(1024, 1024), "low"));
        Assert.Equal(1568, TokenEstimator.OutputTokensPerImage(gpt, new ImageSize(1536, 1024), null));
        Assert.Equal(6240, TokenEstimator.OutputTokensPerImage(gpt, new ImageSize(1024, 1536), "high"));
        Assert.Equal(4224, TokenEstimator.OutputTokensPerImage(ModelCatalog.Find("gpt-image-2"), new ImageSize(2048, 2048), "medium"));
        Assert.Null(TokenEstimator.OutputTokensPerImage(ModelCatalog.Find("dall-e-3"), new ImageSize(1024, 1024), "hd"));
    }
}
