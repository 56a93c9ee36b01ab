namespace OpenAIImages.Tests.Contract;

/// <summary>
/// The PowerShell surface the module promises. A change to a cmdlet's parameters, pipeline bindings, aliases,
/// sets or output type must be made here too, on purpose.
/// </summary>
public static class ExpectedContracts
{
    private const string GeneratedImage = "OpenAIImages.Engine.Results.GeneratedImage";

    /// <summary>Connection parameters every API cmdlet has.</summary>
    public static readonly ParameterContract[] Connection =
    {
        new("ApiKey", "System.Security.SecureString"),
        new("BaseUri", "System.Uri"),
        new("Organization", "string"),
        new("Project", "string"),
        new("TimeoutSec", "int"),
        new("AllowInsecureHttp", "switch"),
    };

    /// <summary>Saving parameters every API cmdlet has.</summary>
    public static readonly ParameterContract[] Saving =
    {
        new("OutputDirectory", "string"),
        new("OutFile", "string"),
        new("Force", "switch"),
    };

    public static readonly CmdletContract NewOpenAIImage = new(
        "New-OpenAIImage",
        "OpenAIImages.Commands.NewOpenAIImageCommand",
        SupportsShouldProcess: true,
        DefaultParameterSet: null,
        OutputTypes: new[] { GeneratedImage },
        Parameters: Sorted(Connection.Concat(Saving).Concat(new ParameterContract[]
        {
            new("Prompt", "string", Mandatory: true, Position: 0, FromPipeline: true, FromPipelineByPropertyName: true),
            new("Model", "string", FromPipelineByPropertyName: true, HasCompleter: true),
            new("Size", "string", FromPipelineByPropertyName: true, HasCompleter: true),
            new("Quality", "string", FromPipelineByPropertyName: true, HasCompleter: true),
            new("Count", "int", Aliases: new[] { "n" }),
            new("Style", "string", HasCompleter: true),
            new("Background", "string", HasCompleter: true),
            new("OutputFormat", "string", HasCompleter: true),
            new("OutputCompression", "int"),
            new("Moderation", "string", HasCompleter: true),
            new("User", "string"),
            new("ResponseFormat", "string", HasCompleter: true),
        })));

    public static IReadOnlyList<CmdletContract> All => new[] { NewOpenAIImage };

    private static IReadOnlyList<ParameterContract> Sorted(IEnumerable<ParameterContract> parameters) => parameters.OrderBy(p => p.Name).ToList();
}
