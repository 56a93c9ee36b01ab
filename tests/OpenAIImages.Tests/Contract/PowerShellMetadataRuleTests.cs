using OpenAIImages.Tests.Support;
using Xunit;

namespace OpenAIImages.Tests.Contract;

/// <summary>
/// The rules PowerShell applies to a cmdlet's parameters when it first runs it, checked on the compiled assembly: a
/// name or alias used twice (or taken from the common parameters) makes every call fail with a MetadataException,
/// and two parameters on one position of a set, or a default set that does not exist, make positional calls ambiguous.
/// None of this shows until PowerShell loads the cmdlet, so it is checked here for every cmdlet.
/// </summary>
public class PowerShellMetadataRuleTests
{
    private static readonly Lazy<IReadOnlyList<CmdletContract>> Compiled = new(() => CmdletMetadata.Read(RepoPaths.CmdletAssembly));

    public static TheoryData<string> CmdletNames()
    {
        var data = new TheoryData<string>();
        foreach (var cmdlet in CmdletMetadata.Read(RepoPaths.CmdletAssembly)) data.Add(cmdlet.Name);
        return data;
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void EveryNameAndAliasIsUsedOnce(string name) =>
        AssertNoProblems(NameProblems(Compiled.Value.Single(c => c.Name == name)));

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void NoTwoParametersOfASetShareAPosition(string name) =>
        AssertNoProblems(PositionProblems(Compiled.Value.Single(c => c.Name == name)));

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void TheDefaultSetIsOneOfTheCmdletsSets(string name)
    {
        var cmdlet = Compiled.Value.Single(c => c.Name == name);
        if (cmdlet.ParameterSets.Count == 0) return;
        Assert.True(cmdlet.DefaultParameterSet != null && cmdlet.ParameterSets.Contains(cmdlet.DefaultParameterSet),
            $"{name} has the sets {string.Join(", ", cmdlet.ParameterSets)} but DefaultParameterSetName '{cmdlet.DefaultParameterSet}'.");
    }

    [Fact]
    public void TheRulesNoticeAClashingAliasAndASharedPosition()
    {
        var broken = new CmdletContract("Test-Rules", "TestRules", true, "A", Array.Empty<string>(), new[]
        {
            Parameter("Path", "A", position: 0, aliases: new[] { "ea" }),
            Parameter("Prompt", "A", position: 0, aliases: new[] { "path" }),
            Parameter("Force", "__AllParameterSets", aliases: new[] { "cf" }),
        })
        { ParameterSets = new[] { "A" } };
        var names = NameProblems(broken);
        Assert.Contains(names, p => p.Contains("'ea'", StringComparison.Ordinal));
        Assert.Contains(names, p => p.Contains("'path'", StringComparison.Ordinal));
        Assert.Contains(names, p => p.Contains("'cf'", StringComparison.Ordinal));
        Assert.Single(PositionProblems(broken));
    }

    private static List<string> NameProblems(CmdletContract cmdlet)
    {
        var problems = new List<string>();
        var taken = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var common in CommonParameters.Of(cmdlet))
        {
            taken[common] = "a common parameter";
        }
        foreach (var parameter in cmdlet.Parameters)
        {
            foreach (var word in new[] { parameter.Name }.Concat(parameter.Aliases ?? Array.Empty<string>()))
            {
                if (taken.TryGetValue(word, out var owner)) problems.Add($"{cmdlet.Name}: '{word}' of -{parameter.Name} is already {owner}.");
                else taken[word] = "-" + parameter.Name;
            }
        }
        return problems;
    }

    private static List<string> PositionProblems(CmdletContract cmdlet)
    {
        var problems = new List<string>();
        var sets = cmdlet.ParameterSets.Count == 0 ? new[] { "__AllParameterSets" } : cmdlet.ParameterSets.ToArray();
        foreach (var set in sets)
        {
            var positioned = cmdlet.Parameters
                .SelectMany(p => p.Bindings!.Where(b => b.Set == set || b.Set == "__AllParameterSets").Select(b => (p.Name, b.Position)))
                .Where(x => x.Position != null)
                .GroupBy(x => x.Position)
                .Where(g => g.Select(x => x.Name).Distinct().Count() > 1);
            foreach (var clash in positioned)
            {
                problems.Add($"{cmdlet.Name}, set {set}: position {clash.Key} is taken by {string.Join(" and ", clash.Select(x => "-" + x.Name).Distinct())}.");
            }
        }
        return problems;
    }

    private static ParameterContract Parameter(string name, string set, int? position = null, string[]? aliases = null) =>
        new(name, "string", Position: position, Aliases: aliases) { Bindings = new[] { new ParameterSetBinding(set, false, position, false, false) } };

    private static void AssertNoProblems(List<string> problems) => Assert.True(problems.Count == 0, string.Join("\n", problems));
}
