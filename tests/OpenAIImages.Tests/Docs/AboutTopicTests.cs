using OpenAIImages.Engine.Models;
using OpenAIImages.Tests.Support;
using Xunit;

namespace OpenAIImages.Tests.Docs;

/// <summary>
/// about_OpenAIImages.md against the engine's own tables: the model table and the token table are the catalog's and
/// the estimator's, so the help cannot drift from what the engine enforces. (What PowerShell reads of the help, and
/// the cmdlet pages against the real cmdlets, are checked by the Pester suite: Help.Tests.ps1 and Module.Tests.ps1.)
/// </summary>
public class AboutTopicTests
{
    private static string AboutPath => Path.Combine(RepoPaths.Root, "docs", "en-US", "about_OpenAIImages.md");

    [Fact]
    public void TheAboutTopicNamesEveryModelOfTheCatalog()
    {
        string text = File.ReadAllText(AboutPath);
        var missing = ModelCatalog.All.Select(m => m.Name).Where(n => !text.Contains(n, StringComparison.Ordinal)).ToList();
        Assert.True(missing.Count == 0, $"about_OpenAIImages.md does not mention: {string.Join(", ", missing)}.");
    }

    [Fact]
    public void TheAboutTopicHoldsTheModelTableAsTheCatalogHasIt()
    {
        string text = File.ReadAllText(AboutPath).Replace("\r\n", "\n");
        string table = AboutTopicText.ModelTable();
        Assert.True(text.Contains(table, StringComparison.Ordinal), "The model table in about_OpenAIImages.md is not the catalog's. Replace it with:\n" + table);
    }

    [Fact]
    public void TheAboutTopicHoldsTheTokenTableTheEstimatorUses()
    {
        string text = File.ReadAllText(AboutPath).Replace("\r\n", "\n");
        string table = AboutTopicText.TokenTable();
        Assert.True(text.Contains(table, StringComparison.Ordinal), "The token table in about_OpenAIImages.md is not the estimator's. Replace it with:\n" + table);
    }

    [Theory]
    [InlineData("OPENAI_API_KEY")]
    [InlineData("OPENAI_BASE_URL")]
    [InlineData("OPENAI_ORG_ID")]
    [InlineData("OPENAI_PROJECT_ID")]
    [InlineData("OPENAI_IMAGE_MODEL")]
    [InlineData("$PSDefaultParameterValues")]
    [InlineData("-ThrottleLimit")]
    [InlineData("-WhatIf")]
    [InlineData("Azure OpenAI")]
    [InlineData("-BaseUri")]
    [InlineData("-Force")]
    public void TheAboutTopicCovers(string subject)
    {
        Assert.Contains(subject, File.ReadAllText(AboutPath));
    }

    [Fact]
    public void AboutTopicLinesFitEightyColumns()
    {
        var wide = File.ReadAllLines(AboutPath).Select((l, i) => (Line: l, Number: i + 1)).Where(x => x.Line.Length > 80).ToList();
        Assert.True(wide.Count == 0, "Lines over 80 characters (about topics are shown as plain text): " + string.Join(", ", wide.Select(w => w.Number)));
    }
}
