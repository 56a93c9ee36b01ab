using OpenAIImages.Tests.Contract;

namespace OpenAIImages.Tests.Docs;

/// <summary>
/// Compares one cmdlet's help file with the compiled cmdlet and lists every disagreement as a sentence, so one failing
/// test shows all that needs fixing in the file.
/// </summary>
public static class HelpChecker
{
    public const string HelpFileName = "OpenAIImages.dll-Help.xml";

    /// <summary>The sections of a PlatyPS 2.0.0 cmdlet file, in the order PlatyPS writes and expects them.</summary>
    public static readonly string[] SectionOrder = { "SYNOPSIS", "SYNTAX", "DESCRIPTION", "EXAMPLES", "PARAMETERS", "INPUTS", "OUTPUTS", "NOTES", "RELATED LINKS" };

    public static IReadOnlyList<string> Problems(CmdletContract cmdlet, HelpMarkdown doc)
    {
        var problems = new List<string>();
        CheckFrontMatter(cmdlet, doc, problems);
        CheckSections(cmdlet, doc, problems);
        CheckSyntax(cmdlet, doc, problems);
        CheckExamples(doc, problems);
        CheckParameters(cmdlet, doc, problems);
        CheckOutputs(cmdlet, doc, problems);
        return problems;
    }

    private static void CheckFrontMatter(CmdletContract cmdlet, HelpMarkdown doc, List<string> problems)
    {
        Expect(doc.FrontMatter, "external help file", HelpFileName, problems);
        Expect(doc.FrontMatter, "Module Name", "OpenAIImages", problems);
        Expect(doc.FrontMatter, "schema", "2.0.0", problems);
        if (!doc.FrontMatter.ContainsKey("online version")) problems.Add("The front matter has no 'online version:' line (it may be empty).");
        if (doc.Title != cmdlet.Name) problems.Add($"The title is '# {doc.Title}', not '# {cmdlet.Name}'.");
    }

    private static void Expect(IReadOnlyDictionary<string, string> frontMatter, string key, string value, List<string> problems)
    {
        if (!frontMatter.TryGetValue(key, out var actual)) problems.Add($"The front matter has no '{key}: {value}'.");
        else if (actual != value) problems.Add($"The front matter says '{key}: {actual}', not '{key}: {value}'.");
    }

    private static void CheckSections(CmdletContract cmdlet, HelpMarkdown doc, List<string> problems)
    {
        var headings = doc.Sections.Select(s => s.Heading).ToList();
        if (!headings.SequenceEqual(SectionOrder))
            problems.Add($"The sections are [{string.Join(", ", headings)}]; PlatyPS needs exactly [{string.Join(", ", SectionOrder)}] in this order.");
        if (string.IsNullOrWhiteSpace(doc.Section("SYNOPSIS")?.Text)) problems.Add("The SYNOPSIS is empty.");
        if (string.IsNullOrWhiteSpace(doc.Section("DESCRIPTION")?.Text)) problems.Add("The DESCRIPTION is empty.");
    }

    private static void CheckSyntax(CmdletContract cmdlet, HelpMarkdown doc, List<string> problems)
    {
        var syntax = doc.Section("SYNTAX");
        if (syntax == null) return;
        if (cmdlet.ParameterSets.Count == 0)
        {
            string expected = PlatyPSExpectations.SyntaxLine(cmdlet, PlatyPSExpectations.AllSets);
            var blocks = syntax.CodeBlocks;
            if (syntax.Children.Count > 0) problems.Add("SYNTAX has set headings, but the cmdlet has one parameter set: PlatyPS writes one block without a heading.");
            if (blocks.Count != 1 || blocks[0].Text != expected)
                problems.Add($"SYNTAX should be one block:\n{expected}\nbut is:\n{string.Join("\n---\n", blocks.Select(b => b.Text))}");
            return;
        }

        var documented = syntax.Children.Select(c => c.Heading).ToList();
        var expectedHeadings = cmdlet.ParameterSets.Select(s => s == cmdlet.DefaultParameterSet ? s + " (Default)" : s).ToList();
        if (!documented.OrderBy(h => h, StringComparer.Ordinal).SequenceEqual(expectedHeadings.OrderBy(h => h, StringComparer.Ordinal)))
            problems.Add($"SYNTAX has the sets [{string.Join(", ", documented)}]; the cmdlet has [{string.Join(", ", expectedHeadings)}].");
        foreach (var set in cmdlet.ParameterSets)
        {
            var part = syntax.Children.FirstOrDefault(c => c.Heading == set || c.Heading == set + " (Default)");
            if (part == null) continue;
            string expected = PlatyPSExpectations.SyntaxLine(cmdlet, set);
            var blocks = part.CodeBlocks;
            if (blocks.Count != 1 || blocks[0].Text != expected)
                problems.Add($"SYNTAX of set {set} should be:\n{expected}\nbut is:\n{string.Join("\n---\n", blocks.Select(b => b.Text))}");
        }
    }

    private static void CheckExamples(HelpMarkdown doc, List<string> problems)
    {
        var examples = doc.Section("EXAMPLES")?.Children ?? Array.Empty<MarkdownPart>();
        if (examples.Count < 3) problems.Add($"EXAMPLES has {examples.Count} examples; at least 3 are needed.");
        foreach (var example in examples)
        {
            if (!example.CodeBlocks.Any(b => b.Text.Trim().Length > 0)) problems.Add($"The example '{example.Heading}' has no code.");
            if (string.IsNullOrWhiteSpace(example.Text)) problems.Add($"The example '{example.Heading}' does not explain its code.");
        }
    }

    private static void CheckParameters(CmdletContract cmdlet, HelpMarkdown doc, List<string> problems)
    {
        var section = doc.Section("PARAMETERS");
        if (section == null) return;
        var documented = section.Children.Where(c => c.Heading.StartsWith('-')).ToDictionary(c => c.Heading[1..], StringComparer.Ordinal);
        if (section.Child("CommonParameters") == null) problems.Add("PARAMETERS has no '### CommonParameters' entry.");

        var expected = cmdlet.Parameters.ToDictionary(p => p.Name, p => PlatyPSExpectations.YamlBlocks(cmdlet, p), StringComparer.Ordinal);
        if (cmdlet.SupportsShouldProcess)
        {
            foreach (var (name, yaml) in PlatyPSExpectations.ShouldProcessParameters) expected[name] = new[] { yaml };
        }

        foreach (var name in expected.Keys.Except(documented.Keys)) problems.Add($"-{name} is not documented.");
        foreach (var name in documented.Keys.Except(expected.Keys)) problems.Add($"-{name} is documented, but the cmdlet has no such parameter.");

        foreach (var (name, blocks) in expected)
        {
            if (!documented.TryGetValue(name, out var entry)) continue;
            if (string.IsNullOrWhiteSpace(entry.Text)) problems.Add($"-{name} has no description.");
            var yamls = entry.CodeBlocks.Where(b => b.Language == "yaml").Select(b => HelpMarkdown.ParseYaml(b.Text)).ToList();
            if (yamls.Count == 0)
            {
                problems.Add($"-{name} has no ```yaml block.");
                continue;
            }
            CheckYaml(name, blocks, yamls, cmdlet.Parameters.FirstOrDefault(p => p.Name == name), problems);
        }
    }

    private static void CheckYaml(string name, IReadOnlyList<ParameterYaml> expected, List<IReadOnlyDictionary<string, string>> documented, ParameterContract? parameter, List<string> problems)
    {
        string[] keys = { "Type", "Parameter Sets", "Aliases", "Required", "Position", "Default value", "Accept pipeline input", "Accept wildcard characters" };
        foreach (var yaml in documented)
        {
            foreach (var key in keys.Where(k => !yaml.ContainsKey(k))) problems.Add($"-{name}: the yaml block has no '{key}:' line.");
        }

        // Everything but the sets must hold in every block; each set must be covered by the block that has its facts.
        var first = expected[0];
        foreach (var yaml in documented)
        {
            Compare(name, "Type", first.Type, yaml, problems);
            Compare(name, "Aliases", string.Join(", ", first.Aliases.OrderBy(a => a, StringComparer.OrdinalIgnoreCase)),
                yaml.TryGetValue("Aliases", out var aliases) ? string.Join(", ", Split(aliases).OrderBy(a => a, StringComparer.OrdinalIgnoreCase)) : null, problems);
            Compare(name, "Accept wildcard characters", first.Wildcards ? "True" : "False", yaml, problems);
            if (parameter?.ValidValues is { } values)
            {
                if (!yaml.ContainsKey("Accepted values")) problems.Add($"-{name}: the yaml block has no 'Accepted values: {string.Join(", ", values)}' ([ValidateSet]).");
                Compare(name, "Accepted values", string.Join(", ", values), yaml, problems);
            }
        }

        var expectedBySet = expected.SelectMany(e => e.Sets.Select(s => (Set: s, Yaml: e))).ToDictionary(x => x.Set, x => x.Yaml);
        var documentedBySet = new Dictionary<string, IReadOnlyDictionary<string, string>>();
        foreach (var yaml in documented)
        {
            foreach (var set in Split(yaml.TryGetValue("Parameter Sets", out var sets) ? sets : ""))
            {
                if (!documentedBySet.TryAdd(set, yaml)) problems.Add($"-{name}: the set {set} is named in two yaml blocks.");
            }
        }
        foreach (var set in expectedBySet.Keys.Except(documentedBySet.Keys))
            problems.Add($"-{name}: no yaml block covers '{set}' (expected Parameter Sets: {string.Join(" | ", expected.Select(e => string.Join(", ", e.Sets)))}).");
        foreach (var set in documentedBySet.Keys.Except(expectedBySet.Keys))
            problems.Add($"-{name}: a yaml block names the set '{set}', which the parameter is not in as compiled (expected Parameter Sets: {string.Join(" | ", expected.Select(e => string.Join(", ", e.Sets)))}).");
        foreach (var (set, facts) in expectedBySet)
        {
            if (!documentedBySet.TryGetValue(set, out var yaml)) continue;
            Compare(name, "Required", facts.Required ? "True" : "False", yaml, problems, set);
            Compare(name, "Position", facts.Position, yaml, problems, set);
            Compare(name, "Accept pipeline input", facts.PipelineInput, yaml, problems, set);
        }
    }

    private static void Compare(string name, string key, string expected, IReadOnlyDictionary<string, string> yaml, List<string> problems, string? set = null) =>
        Compare(name, key, expected, yaml.TryGetValue(key, out var actual) ? actual : null, problems, set);

    private static void Compare(string name, string key, string expected, string? actual, List<string> problems, string? set = null)
    {
        if (actual == null) return;
        if (!string.Equals(expected, actual, StringComparison.Ordinal))
            problems.Add($"-{name}{(set == null ? "" : $" (set {set})")}: '{key}: {actual}' should be '{key}: {expected}'.");
    }

    private static IEnumerable<string> Split(string list) => list.Split(',').Select(s => s.Trim()).Where(s => s.Length > 0);

    private static void CheckOutputs(CmdletContract cmdlet, HelpMarkdown doc, List<string> problems)
    {
        var outputs = doc.Section("OUTPUTS")?.Children.Select(c => c.Heading).ToList() ?? new List<string>();
        foreach (var type in cmdlet.OutputTypes.Except(outputs)) problems.Add($"OUTPUTS does not name {type}, the cmdlet's [OutputType].");
        var inputs = doc.Section("INPUTS")?.Children ?? Array.Empty<MarkdownPart>();
        if (inputs.Count == 0 && cmdlet.Parameters.Any(p => p.FromPipeline || p.FromPipelineByPropertyName))
            problems.Add("INPUTS names no type, but the cmdlet takes pipeline input.");
    }
}
