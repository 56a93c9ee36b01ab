using OpenAIImages.Tests.Contract;
using OpenAIImages.Tests.Support;
using Xunit;

namespace OpenAIImages.Tests.Docs;

/// <summary>
/// Every call of the module's cmdlets written down in the project (help examples, README, the Pester suite, the demo)
/// against the compiled cmdlets, read with MetadataLoadContext: a parameter that is misspelt, abbreviated, renamed
/// or removed, or parameters that share no parameter set, fail here instead of in front of a user or in the first
/// PowerShell run of the suite.
/// </summary>
public class CommandUsageTests
{
    private static readonly Lazy<IReadOnlyList<CmdletContract>> Compiled = new(() => CmdletMetadata.Read(RepoPaths.CmdletAssembly));

    private static readonly Lazy<IReadOnlyList<CommandUsage>> Usages = new(ScanProject);

    private static IReadOnlyList<CommandUsage> ScanProject()
    {
        var names = Compiled.Value.Select(c => c.Name).ToList();
        var usages = new List<CommandUsage>();
        foreach (var (path, code) in Sources())
        {
            usages.AddRange(CommandUsageScanner.Scan(Path.GetRelativePath(RepoPaths.Root, path), code, names));
        }
        return usages;
    }

    private static IEnumerable<(string Path, string Code)> Sources()
    {
        string root = RepoPaths.Root;
        var markdown = Directory.GetFiles(Path.Combine(root, "docs", "en-US"), "*.md").Append(Path.Combine(root, "README.md"));
        foreach (var file in markdown.OrderBy(f => f, StringComparer.Ordinal))
        {
            yield return (file, CommandUsageScanner.MarkdownCode(File.ReadAllText(file)));
        }
        var scripts = Directory.GetFiles(Path.Combine(root, "tests", "pester"), "*.ps1")
            .Concat(Directory.GetFiles(Path.Combine(root, "tools"), "*.ps*1"))
            .Append(Path.Combine(root, "build.ps1"));
        foreach (var file in scripts.OrderBy(f => f, StringComparer.Ordinal))
        {
            yield return (file, File.ReadAllText(file));
        }
    }

    [Fact]
    public void EveryParameterACallNamesExistsOnItsCmdlet()
    {
        var problems = new List<string>();
        foreach (var usage in Usages.Value)
        {
            var cmdlet = Compiled.Value.Single(c => c.Name == usage.Command);
            foreach (var name in usage.Parameters)
            {
                if (Resolve(cmdlet, name) != null || IsCommon(cmdlet, name)) continue;
                var prefixed = cmdlet.Parameters.Where(p => p.Name.StartsWith(name, StringComparison.OrdinalIgnoreCase)).Select(p => p.Name).ToList();
                string hint = prefixed.Count > 0 ? $" (write the full name: {string.Join(" or ", prefixed.Select(p => "-" + p))})" : "";
                problems.Add($"{usage.Source}:{usage.Line}: {usage.Command} has no parameter -{name}{hint}: {usage.Text}");
            }
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void TheParametersOfEveryCallShareAParameterSet()
    {
        var problems = new List<string>();
        foreach (var usage in Usages.Value)
        {
            var cmdlet = Compiled.Value.Single(c => c.Name == usage.Command);
            var used = usage.Parameters.Select(n => Resolve(cmdlet, n)).Where(p => p != null).Select(p => p!).Distinct().ToList();
            if (cmdlet.ParameterSets.Count == 0 || used.Count == 0) continue;
            var fitting = cmdlet.ParameterSets.Where(set => used.All(p => InSet(p, set))).ToList();
            if (fitting.Count == 0)
            {
                string sets = string.Join("; ", used.Select(p => $"-{p.Name} in {string.Join(", ", SetsOf(p))}"));
                problems.Add($"{usage.Source}:{usage.Line}: no parameter set of {usage.Command} has all of these parameters ({sets}): {usage.Text}");
            }
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void EveryCmdletIsCalledInItsHelpExamplesAndItsPesterFile()
    {
        // The scan finds what it should: a cmdlet's own help file and Pester file call it, with parameters.
        foreach (var cmdlet in Compiled.Value)
        {
            var inHelp = Usages.Value.Where(u => u.Command == cmdlet.Name && u.Source == Path.Combine("docs", "en-US", cmdlet.Name + ".md")).ToList();
            var inPester = Usages.Value.Where(u => u.Command == cmdlet.Name && u.Source == Path.Combine("tests", "pester", cmdlet.Name + ".Tests.ps1")).ToList();
            Assert.True(inHelp.Count >= 3, $"{cmdlet.Name}: {inHelp.Count} calls found in its help examples.");
            Assert.True(inPester.Count >= 5, $"{cmdlet.Name}: {inPester.Count} calls found in its Pester file.");
            Assert.Contains(inPester, u => u.Parameters.Count > 0);
        }
    }

    [Fact]
    public void EveryErrorIdThePesterSuiteExpectsIsOneTheModuleWrites()
    {
        // Ids appear in the suite as 'Id,*' patterns for FullyQualifiedErrorId and as Id = '...' in -ForEach data.
        var expected = new System.Text.RegularExpressions.Regex(@"FullyQualifiedErrorId\s*\|\s*Should\s+-BeLike\s+'([A-Za-z]+),\*'|\bId\s*=\s*'([A-Za-z]+)'");
        // An id is written as a string literal, or as a constant named after itself (const string X = nameof(X)).
        var written = new System.Text.RegularExpressions.Regex(@"""([A-Z][A-Za-z]+)""|const string (\w+) = nameof\(\2\)");
        var known = Directory.GetFiles(Path.Combine(RepoPaths.Root, "src"), "*.cs", SearchOption.AllDirectories)
            .SelectMany(f => written.Matches(File.ReadAllText(f)).Select(m => m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value))
            .ToHashSet(StringComparer.Ordinal);
        var problems = new List<string>();
        int found = 0;
        foreach (var file in Directory.GetFiles(Path.Combine(RepoPaths.Root, "tests", "pester"), "*.Tests.ps1"))
        {
            foreach (System.Text.RegularExpressions.Match match in expected.Matches(File.ReadAllText(file)))
            {
                found++;
                string id = match.Groups[1].Success ? match.Groups[1].Value : match.Groups[2].Value;
                if (!known.Contains(id)) problems.Add($"{Path.GetFileName(file)} expects the error id {id}, which no source file writes.");
            }
        }
        Assert.True(found >= 20, $"Only {found} expected error ids were found in the Pester suite; has its form changed?");
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void TheScannerReadsArgumentsOnlyFromTheCallItself()
    {
        const string script = """
            # New-OpenAIImage -InComment 1
            $a = New-OpenAIImage 'a -NotAParameter prompt' -Size 1024x1024 `
                -Quality low -OutFile (Join-Path $dir -ChildPath 'x.png') | Edit-OpenAIImage -Prompt "it's -Fine"
            Get-Help New-OpenAIImage -Full
            It 'works' { { New-OpenAIImage -Count:2 @conn -ErrorAction Stop } | Should -Throw }
            $text = @'
            New-OpenAIImage -InHereString
            '@
            <# Edit-OpenAIImage -InBlockComment #> ConvertTo-AlphaMask -Path m.png; ConvertTo-AlphaMask -LiteralPath n.png
            """;
        var usages = CommandUsageScanner.Scan("sample", script, new[] { "New-OpenAIImage", "Edit-OpenAIImage", "ConvertTo-AlphaMask" });
        var found = usages.Select(u => $"{u.Line} {u.Command} {string.Join(" ", u.Parameters)}").ToList();
        Assert.Equal(
            new[]
            {
                "2 New-OpenAIImage Size Quality OutFile",
                "3 Edit-OpenAIImage Prompt",
                "5 New-OpenAIImage Count ErrorAction",
                "9 ConvertTo-AlphaMask Path",
                "9 ConvertTo-AlphaMask LiteralPath",
            },
            found);
    }

    [Fact]
    public void TheChecksNoticeAMisspeltParameterAndSetsThatDoNotMix()
    {
        var edit = Compiled.Value.Single(c => c.Name == "Edit-OpenAIImage");
        Assert.Null(Resolve(edit, "Promt"));
        Assert.NotNull(Resolve(edit, "Prompt"));
        Assert.NotNull(Resolve(edit, "PSPath"));
        var path = Resolve(edit, "Path")!;
        var literal = Resolve(edit, "LiteralPath")!;
        Assert.DoesNotContain(edit.ParameterSets, set => InSet(path, set) && InSet(literal, set));
    }

    private static ParameterContract? Resolve(CmdletContract cmdlet, string name) =>
        cmdlet.Parameters.FirstOrDefault(p =>
            string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)
            || (p.Aliases ?? Array.Empty<string>()).Contains(name, StringComparer.OrdinalIgnoreCase));

    private static bool IsCommon(CmdletContract cmdlet, string name) =>
        CommonParameters.Of(cmdlet).Contains(name, StringComparer.OrdinalIgnoreCase);

    private static IEnumerable<string> SetsOf(ParameterContract parameter) => parameter.Bindings!.Select(b => b.Set);

    private static bool InSet(ParameterContract parameter, string set) =>
        SetsOf(parameter).Any(s => s == set || s == "__AllParameterSets");
}
