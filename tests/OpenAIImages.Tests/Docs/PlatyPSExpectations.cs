using System.Text;
using OpenAIImages.Tests.Contract;

namespace OpenAIImages.Tests.Docs;

/// <summary>What one ```yaml block of a parameter says about the sets it covers.</summary>
public sealed record ParameterYaml(string Type, IReadOnlyList<string> Sets, IReadOnlyList<string> Aliases, bool Required, string Position, string PipelineInput, bool Wildcards);

/// <summary>
/// What PlatyPS 0.14 writes for a compiled cmdlet: the syntax line of each parameter set (PowerShell's display order:
/// positional parameters by position, then named mandatory ones, then the rest in declaration order, then -WhatIf and
/// -Confirm; wrapped at 110 characters) and the yaml facts of each parameter, one block per group of sets that agree.
/// </summary>
public static class PlatyPSExpectations
{
    public const string AllSets = "__AllParameterSets";
    public const int SyntaxWidth = 110;

    /// <summary>The cmdlet's parameter sets as Get-Command lists them: the named ones, or the one unnamed set.</summary>
    public static IReadOnlyList<string> SetsOf(CmdletContract cmdlet) => cmdlet.ParameterSets.Count > 0 ? cmdlet.ParameterSets : new[] { AllSets };

    /// <summary>How a parameter binds in a set, or null when it is not in that set.</summary>
    public static ParameterSetBinding? BindingIn(ParameterContract parameter, string set)
    {
        var bindings = parameter.Bindings ?? throw new InvalidOperationException($"-{parameter.Name} was not read from a compiled assembly.");
        return bindings.FirstOrDefault(b => b.Set == set) ?? bindings.FirstOrDefault(b => b.Set == AllSets);
    }

    /// <summary>PlatyPS's type name: the .NET short name (String, Int32, SwitchParameter), with [] for arrays.</summary>
    public static string TypeName(string contractType) => contractType.TrimEnd('?') switch
    {
        "string" => "String",
        "string[]" => "String[]",
        "int" => "Int32",
        "int[]" => "Int32[]",
        "object" => "Object",
        "object[]" => "Object[]",
        "byte" => "Byte",
        "byte[]" => "Byte[]",
        "switch" => "SwitchParameter",
        var other => other[(other.LastIndexOf('.') + 1)..],
    };

    public static string PipelineInput(bool byValue, bool byPropertyName) => (byValue, byPropertyName) switch
    {
        (true, true) => "True (ByPropertyName, ByValue)",
        (true, false) => "True (ByValue)",
        (false, true) => "True (ByPropertyName)",
        _ => "False",
    };

    public static string SyntaxLine(CmdletContract cmdlet, string set)
    {
        var inSet = cmdlet.Parameters
            .Select(p => (Parameter: p, Binding: BindingIn(p, set)))
            .Where(x => x.Binding != null)
            .OrderBy(x => x.Parameter.DeclarationOrder)
            .ToList();
        var ordered = inSet.Where(x => x.Binding!.Position != null).OrderBy(x => x.Binding!.Position)
            .Concat(inSet.Where(x => x.Binding!.Position == null && x.Binding.Mandatory))
            .Concat(inSet.Where(x => x.Binding!.Position == null && !x.Binding.Mandatory));

        var parts = new List<string>();
        foreach (var (parameter, binding) in ordered)
        {
            string type = TypeName(parameter.Type);
            if (type == "SwitchParameter")
            {
                parts.Add($"[-{parameter.Name}]");
                continue;
            }
            string part = binding!.Position != null ? $"[-{parameter.Name}]" : $"-{parameter.Name}";
            part = $"{part} <{type}>";
            parts.Add(binding.Mandatory ? part : $"[{part}]");
        }
        if (cmdlet.SupportsShouldProcess)
        {
            parts.Add("[-WhatIf]");
            parts.Add("[-Confirm]");
        }
        parts.Add("[<CommonParameters>]");

        // PlatyPS's wrapping, to the character: a part that would pass the width starts a new line, which begins with a space.
        var text = new StringBuilder(cmdlet.Name);
        int lineStart = 0;
        foreach (var part in parts)
        {
            if (text.Length - lineStart + part.Length > SyntaxWidth)
            {
                text.Append('\n');
                lineStart = text.Length;
            }
            text.Append(' ').Append(part);
        }
        return text.ToString();
    }

    /// <summary>The yaml blocks PlatyPS writes for a parameter: sets whose facts agree share a block; (All) when it covers every set.</summary>
    public static IReadOnlyList<ParameterYaml> YamlBlocks(CmdletContract cmdlet, ParameterContract parameter)
    {
        var sets = SetsOf(cmdlet);
        var groups = new List<(List<string> Sets, ParameterSetBinding Binding)>();
        foreach (var set in sets)
        {
            var binding = BindingIn(parameter, set);
            if (binding == null) continue;
            var group = groups.FirstOrDefault(g => Same(g.Binding, binding));
            if (group.Sets != null) group.Sets.Add(set);
            else groups.Add((new List<string> { set }, binding));
        }
        return groups.Select(g => new ParameterYaml(
            TypeName(parameter.Type),
            sets.Count == 1 || g.Sets.Count == sets.Count ? new[] { "(All)" } : g.Sets.ToArray(),
            parameter.Aliases ?? Array.Empty<string>(),
            g.Binding.Mandatory,
            g.Binding.Position?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "Named",
            PipelineInput(g.Binding.FromPipeline, g.Binding.FromPipelineByPropertyName),
            parameter.SupportsWildcards)).ToList();
    }

    /// <summary>-WhatIf and -Confirm, which PowerShell adds to every cmdlet that supports ShouldProcess.</summary>
    public static IReadOnlyList<(string Name, ParameterYaml Yaml)> ShouldProcessParameters { get; } = new[]
    {
        ("WhatIf", new ParameterYaml("SwitchParameter", new[] { "(All)" }, new[] { "wi" }, false, "Named", "False", false)),
        ("Confirm", new ParameterYaml("SwitchParameter", new[] { "(All)" }, new[] { "cf" }, false, "Named", "False", false)),
    };

    private static bool Same(ParameterSetBinding a, ParameterSetBinding b) =>
        a.Mandatory == b.Mandatory && a.Position == b.Position && a.FromPipeline == b.FromPipeline && a.FromPipelineByPropertyName == b.FromPipelineByPropertyName;
}
