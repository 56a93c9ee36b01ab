using OpenAIImages.Engine.Models;
using OpenAIImages.Tests.Contract;
using OpenAIImages.Tests.Support;
using Xunit;

namespace OpenAIImages.Tests.Docs;

/// <summary>
/// The PlatyPS help in docs/en-US against the compiled cmdlets (read with MetadataLoadContext): a cmdlet or parameter
/// that is added, removed or rebound without its help changing fails here, with every disagreement listed.
/// </summary>
public class DocsDriftTests
{
    private static readonly Lazy<IReadOnlyList<CmdletContract>> Compiled = new(() => CmdletMetadata.Read(RepoPaths.CmdletAssembly));

    private static string DocsDirectory => Path.Combine(RepoPaths.Root, "docs", "en-US");

    private static string AboutPath => Path.Combine(DocsDirectory, "about_OpenAIImages.md");

    public static TheoryData<string> CmdletNames()
    {
        var data = new TheoryData<string>();
        foreach (var cmdlet in CmdletMetadata.Read(RepoPaths.CmdletAssembly)) data.Add(cmdlet.Name);
        return data;
    }

    [Fact]
    public void EveryCompiledCmdletHasAHelpFile()
    {
        var missing = Compiled.Value.Select(c => c.Name).Where(n => !File.Exists(Path.Combine(DocsDirectory, n + ".md"))).ToList();
        Assert.True(missing.Count == 0, $"No help in docs/en-US for: {string.Join(", ", missing)}. Write <Name>.md in the PlatyPS schema (see New-OpenAIImage.md).");
    }

    [Fact]
    public void EveryHelpFileIsACompiledCmdletOrTheAboutTopic()
    {
        var names = Compiled.Value.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        var orphans = Directory.GetFiles(DocsDirectory, "*.md")
            .Select(Path.GetFileNameWithoutExtension)
            .Where(n => !n!.StartsWith("about_", StringComparison.Ordinal) && !names.Contains(n!))
            .ToList();
        Assert.True(orphans.Count == 0, $"docs/en-US documents cmdlets the module does not have: {string.Join(", ", orphans)}.");
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void HelpAgreesWithTheCompiledCmdlet(string name)
    {
        var cmdlet = Compiled.Value.Single(c => c.Name == name);
        string path = Path.Combine(DocsDirectory, name + ".md");
        Assert.True(File.Exists(path), $"{path} is missing.");
        var problems = HelpChecker.Problems(cmdlet, HelpMarkdown.Load(path));
        Assert.True(problems.Count == 0, $"docs/en-US/{name}.md disagrees with the compiled cmdlet:\n- " + string.Join("\n- ", problems));
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void HelpHasASynopsisADescriptionAndAtLeastThreeExamples(string name)
    {
        var doc = HelpMarkdown.Load(Path.Combine(DocsDirectory, name + ".md"));
        Assert.False(string.IsNullOrWhiteSpace(doc.Section("SYNOPSIS")?.Text), "The synopsis is empty.");
        Assert.False(string.IsNullOrWhiteSpace(doc.Section("DESCRIPTION")?.Text), "The description is empty.");
        Assert.True(doc.Section("EXAMPLES")?.Children.Count >= 3, $"{name} has fewer than 3 examples.");
    }

    [Fact]
    public void EditHelpSaysWhatAPlainPipelineAndCombineDo()
    {
        var doc = HelpMarkdown.Load(Path.Combine(DocsDirectory, "Edit-OpenAIImage.md"));
        string description = doc.Section("DESCRIPTION")!.Text;
        Assert.Contains("on its own", description);
        Assert.Contains("-Combine", description);
        Assert.Contains("one request", description);
    }

    [Fact]
    public void TheAboutTopicIsAnAboutTopicPlatyPSRecognizes()
    {
        Assert.True(File.Exists(AboutPath), "docs/en-US/about_OpenAIImages.md is missing.");
        var lines = File.ReadAllLines(AboutPath).Where(l => l.StartsWith('#')).Take(2).ToList();
        Assert.Equal(new[] { "# about_OpenAIImages", "## about_OpenAIImages" }, lines);
        string text = File.ReadAllText(AboutPath);
        Assert.Contains("# SHORT DESCRIPTION", text);
        Assert.Contains("# LONG DESCRIPTION", text);
    }

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

    // The checker itself: a mistake it should catch must not pass.

    [Fact]
    public void TheCheckerNoticesAMissingParameter()
    {
        var (cmdlet, markdown) = NewOpenAIImageHelp();
        int start = markdown.IndexOf("### -Quality", StringComparison.Ordinal);
        int end = markdown.IndexOf("### -", start + 5, StringComparison.Ordinal);
        var problems = HelpChecker.Problems(cmdlet, HelpMarkdown.Parse(markdown.Remove(start, end - start)));
        Assert.Contains(problems, p => p.Contains("-Quality is not documented", StringComparison.Ordinal));
    }

    [Fact]
    public void TheCheckerNoticesAParameterThatIsGone()
    {
        var (cmdlet, markdown) = NewOpenAIImageHelp();
        var fewer = cmdlet with { Parameters = cmdlet.Parameters.Where(p => p.Name != "Style").ToList() };
        var problems = HelpChecker.Problems(fewer, HelpMarkdown.Parse(markdown));
        Assert.Contains(problems, p => p.Contains("-Style is documented, but the cmdlet has no such parameter", StringComparison.Ordinal));
    }

    [Fact]
    public void TheCheckerNoticesALostPipelineBinding()
    {
        var (cmdlet, markdown) = NewOpenAIImageHelp();
        var prompt = cmdlet.Parameters.Single(p => p.Name == "Prompt");
        var rebound = prompt with { Bindings = prompt.Bindings!.Select(b => b with { FromPipeline = false }).ToList() };
        var changed = cmdlet with { Parameters = cmdlet.Parameters.Select(p => p.Name == "Prompt" ? rebound : p).ToList() };
        var problems = HelpChecker.Problems(changed, HelpMarkdown.Parse(markdown));
        Assert.Contains(problems, p => p.Contains("-Prompt", StringComparison.Ordinal) && p.Contains("Accept pipeline input", StringComparison.Ordinal));
    }

    [Fact]
    public void TheCheckerNoticesAWrongRequiredOrPosition()
    {
        var (cmdlet, markdown) = NewOpenAIImageHelp();
        int at = markdown.IndexOf("### -Prompt", StringComparison.Ordinal);
        string changed = markdown[..at] + markdown[at..].ReplaceFirst("Required: True", "Required: False").ReplaceFirst("Position: 0", "Position: 1");
        var problems = HelpChecker.Problems(cmdlet, HelpMarkdown.Parse(changed));
        Assert.Contains(problems, p => p.Contains("-Prompt", StringComparison.Ordinal) && p.Contains("Required", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("-Prompt", StringComparison.Ordinal) && p.Contains("Position", StringComparison.Ordinal));
    }

    [Fact]
    public void TheCheckerNoticesAStaleSyntaxBlock()
    {
        var (cmdlet, markdown) = NewOpenAIImageHelp();
        var problems = HelpChecker.Problems(cmdlet, HelpMarkdown.Parse(markdown.Replace("[-Size <String>]", "[-Size <Int32>]")));
        Assert.Contains(problems, p => p.StartsWith("SYNTAX", StringComparison.Ordinal));
    }

    [Fact]
    public void SyntaxLinesAreWrappedAsPlatyPSWrapsThem()
    {
        var cmdlet = Compiled.Value.Single(c => c.Name == "New-OpenAIImage");
        var lines = PlatyPSExpectations.SyntaxLine(cmdlet, PlatyPSExpectations.AllSets).Split('\n');
        Assert.StartsWith("New-OpenAIImage [-Prompt] <String> ", lines[0]);
        Assert.All(lines, l => Assert.True(l.Length <= PlatyPSExpectations.SyntaxWidth + 1, l));
        Assert.All(lines.Skip(1), l => Assert.StartsWith(" [", l));
        Assert.EndsWith(" [-WhatIf] [-Confirm] [<CommonParameters>]", string.Join(" ", lines).Replace("  ", " "));
    }

    private static (CmdletContract, string) NewOpenAIImageHelp() =>
        (Compiled.Value.Single(c => c.Name == "New-OpenAIImage"), File.ReadAllText(Path.Combine(DocsDirectory, "New-OpenAIImage.md")).Replace("\r\n", "\n"));
}

internal static class StringExtensions
{
    public static string ReplaceFirst(this string text, string oldValue, string newValue)
    {
        int at = text.IndexOf(oldValue, StringComparison.Ordinal);
        return at < 0 ? text : text[..at] + newValue + text[(at + oldValue.Length)..];
    }
}
