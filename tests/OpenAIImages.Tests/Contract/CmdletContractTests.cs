using OpenAIImages.Tests.Support;
using Xunit;

namespace OpenAIImages.Tests.Contract;

public class CmdletContractTests
{
    private static readonly Lazy<IReadOnlyList<CmdletContract>> Compiled = new(() => CmdletMetadata.Read(RepoPaths.CmdletAssembly));

    public static TheoryData<string> CmdletNames()
    {
        var data = new TheoryData<string>();
        foreach (var c in ExpectedContracts.All) data.Add(c.Name);
        return data;
    }

    [Fact]
    public void TheAssemblyHoldsExactlyTheExpectedCmdlets()
    {
        Assert.Equal(ExpectedContracts.All.Select(c => c.Name).OrderBy(n => n), Compiled.Value.Select(c => c.Name).OrderBy(n => n));
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void CmdletAttributesMatch(string name)
    {
        var expected = ExpectedContracts.All.Single(c => c.Name == name);
        var actual = Compiled.Value.Single(c => c.Name == name);
        Assert.Equal(expected.ClassName, actual.ClassName);
        Assert.Equal(expected.SupportsShouldProcess, actual.SupportsShouldProcess);
        Assert.Equal(expected.DefaultParameterSet, actual.DefaultParameterSet);
        Assert.Equal(expected.OutputTypes, actual.OutputTypes);
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void ParametersMatchTheContract(string name)
    {
        var expected = ExpectedContracts.All.Single(c => c.Name == name).Parameters.ToDictionary(p => p.Name);
        var actual = Compiled.Value.Single(c => c.Name == name).Parameters.ToDictionary(p => p.Name);
        Assert.Equal(expected.Keys.OrderBy(k => k), actual.Keys.OrderBy(k => k));
        foreach (var (parameter, contract) in expected)
        {
            var found = actual[parameter];
            Assert.True(Same(contract, found), $"{name} -{parameter}:\n  expected {Describe(contract)}\n  compiled {Describe(found)}");
        }
    }

    [Fact]
    public void PromptBindsFromThePipelineByValueAndByPropertyName()
    {
        var prompt = Compiled.Value.Single(c => c.Name == "New-OpenAIImage").Parameters.Single(p => p.Name == "Prompt");
        Assert.True(prompt.FromPipeline, "New-OpenAIImage -Prompt lost ValueFromPipeline: 'a cat' | New-OpenAIImage would stop working.");
        Assert.True(prompt.FromPipelineByPropertyName, "New-OpenAIImage -Prompt lost ValueFromPipelineByPropertyName: Import-Csv prompts.csv | New-OpenAIImage would stop working.");
    }

    [Fact]
    public void TheContractCheckNoticesALostPipelineBinding()
    {
        var contract = ExpectedContracts.NewOpenAIImage.Parameters.Single(p => p.Name == "Prompt");
        Assert.False(Same(contract, contract with { FromPipeline = false }));
        Assert.False(Same(contract, contract with { FromPipelineByPropertyName = false }));
    }

    private static bool Same(ParameterContract a, ParameterContract b) =>
        a.Name == b.Name && a.Type == b.Type && a.Mandatory == b.Mandatory && a.Position == b.Position
        && a.FromPipeline == b.FromPipeline && a.FromPipelineByPropertyName == b.FromPipelineByPropertyName
        && (a.Aliases ?? Array.Empty<string>()).SequenceEqual(b.Aliases ?? Array.Empty<string>())
        && (a.Sets ?? Array.Empty<string>()).SequenceEqual(b.Sets ?? Array.Empty<string>())
        && a.SupportsWildcards == b.SupportsWildcards && a.HasCompleter == b.HasCompleter;

    private static string Describe(ParameterContract p) =>
        $"{p.Type}{(p.Mandatory ? " mandatory" : "")}{(p.Position is int pos ? $" position {pos}" : "")}{(p.FromPipeline ? " pipeline" : "")}{(p.FromPipelineByPropertyName ? " by-property-name" : "")}" +
        $"{(p.Aliases != null ? " aliases " + string.Join("/", p.Aliases) : "")}{(p.Sets != null ? " sets " + string.Join("/", p.Sets) : "")}{(p.SupportsWildcards ? " wildcards" : "")}{(p.HasCompleter ? " completer" : "")}";
}
