using OpenAIImages.Engine.Imaging;
using OpenAIImages.Engine.Models;
using Xunit;

namespace OpenAIImages.Tests.Engine;

/// <summary>What -WhatIf says an edit's input images cost, and the size floor gpt-image-2 warns about.</summary>
public class CostAndSizeAdviceTests
{
    [Theory]
    [InlineData(1024, 1024, 194)]   // 512x512: one tile
    [InlineData(1536, 1024, 323)]   // 768x512: two tiles
    [InlineData(512, 512, 194)]
    [InlineData(256, 256, 194)]     // scaled up to a shorter side of 512: one tile
    [InlineData(4096, 1024, 581)]   // fit 2048x512, four tiles
    [InlineData(3000, 3000, 194)]   // fit 2048x2048, then 512x512
    public void EstimatesInputImageTokensByTiles(int width, int height, long expected) =>
        Assert.Equal(expected, TokenEstimator.InputTokensPerImage(ModelCatalog.Find("gpt-image-2"), width, height));

    [Fact]
    public void GivesNoInputTokensForModelsPricedPerImage() =>
        Assert.Null(TokenEstimator.InputTokensPerImage(ModelCatalog.Find("dall-e-2"), 1024, 1024));

    [Fact]
    public void EstimatesForAModelTheCatalogDoesNotKnow() =>
        Assert.Equal(194, TokenEstimator.InputTokensPerImage(null, 1024, 1024));

    [Theory]
    [InlineData("768x768", true)]
    [InlineData("1024x624", true)]
    [InlineData("1024x640", false)]
    [InlineData("1024x1024", false)]
    [InlineData("auto", false)]
    public void WarnsBelowTheReportedPixelFloorOnly(string size, bool warns)
    {
        var rule = ModelCatalog.Find("gpt-image-2")!.FreeSize!;
        Assert.True(ImageSize.TryParse(size, out var parsed));
        string? advice = rule.Advice(parsed);
        Assert.Equal(warns, advice != null);
        if (warns) Assert.Contains("655,360", advice);
    }

    [Fact]
    public void KeepsTheFloorInTheModelTableNotInCode() =>
        Assert.Equal(655_360, ModelCatalog.Find("gpt-image-2")!.FreeSize!.AdvisedMinPixels);
}
