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
        new("ThrottleLimit", "int"),
        new("MaxRetries", "int"),
        new("Proxy", "System.Uri"),
        new("ProxyCredential", "System.Management.Automation.PSCredential"),
        new("Endpoint", "System.Uri"),
        new("Deployment", "string"),
        new("ApiVersion", "string"),
        new("AccessToken", "System.Security.SecureString"),
    };

    /// <summary>Streaming parameters of the cmdlets that take prompts.</summary>
    public static readonly ParameterContract[] Streaming =
    {
        new("Stream", "switch"),
        new("PartialImages", "int"),
        new("IncludePartialImages", "switch"),
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
        Parameters: Sorted(Connection.Concat(Saving).Concat(Streaming).Concat(new ParameterContract[]
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

    public static readonly CmdletContract EditOpenAIImage = new(
        "Edit-OpenAIImage",
        "OpenAIImages.Commands.EditOpenAIImageCommand",
        SupportsShouldProcess: true,
        DefaultParameterSet: "Path",
        OutputTypes: new[] { GeneratedImage },
        Parameters: Sorted(Connection.Concat(Saving).Concat(Streaming).Concat(new ParameterContract[]
        {
            new("Prompt", "string", Mandatory: true, Position: 0),
            new("Path", "string[]", Mandatory: true, Position: 1, FromPipelineByPropertyName: true, Sets: new[] { "Path" }, SupportsWildcards: true),
            new("LiteralPath", "string[]", Mandatory: true, FromPipelineByPropertyName: true, Aliases: new[] { "LP", "PSPath" }, Sets: new[] { "LiteralPath" }),
            new("InputObject", "object", Mandatory: true, FromPipeline: true, Sets: new[] { "InputObject" }),
            // -ImageUrl is in its own set only, so that -ImageUrl with -FileId resolves to one set (ImageUrl).
            new("ImageUrl", "string[]", Mandatory: true, Sets: new[] { "ImageUrl" }),
            new("FileId", "string[]", Mandatory: true, Sets: new[] { "FileId", "ImageUrl" }),
            new("Mask", "object", Sets: new[] { "InputObject", "LiteralPath", "Path" }),
            new("MaskUrl", "string", Sets: new[] { "FileId", "ImageUrl" }),
            new("MaskFileId", "string", Sets: new[] { "FileId", "ImageUrl" }),
            new("Combine", "switch", Sets: new[] { "InputObject", "LiteralPath", "Path" }),
            new("Model", "string", HasCompleter: true),
            new("Size", "string", HasCompleter: true),
            new("Quality", "string", HasCompleter: true),
            new("Count", "int", Aliases: new[] { "n" }),
            new("Background", "string", HasCompleter: true),
            new("InputFidelity", "string"),
            new("OutputFormat", "string", HasCompleter: true),
            new("OutputCompression", "int"),
            new("Moderation", "string", HasCompleter: true),
            new("ResponseFormat", "string", HasCompleter: true),
            new("User", "string"),
        })));

    public static readonly CmdletContract NewOpenAIImageVariation = new(
        "New-OpenAIImageVariation",
        "OpenAIImages.Commands.NewOpenAIImageVariationCommand",
        SupportsShouldProcess: true,
        DefaultParameterSet: "Path",
        OutputTypes: new[] { GeneratedImage },
        Parameters: Sorted(Connection.Concat(Saving).Concat(new ParameterContract[]
        {
            new("Path", "string[]", Mandatory: true, Position: 0, FromPipelineByPropertyName: true, Sets: new[] { "Path" }, SupportsWildcards: true),
            new("LiteralPath", "string[]", Mandatory: true, FromPipelineByPropertyName: true, Aliases: new[] { "LP", "PSPath" }, Sets: new[] { "LiteralPath" }),
            new("InputObject", "object", Mandatory: true, FromPipeline: true, Sets: new[] { "InputObject" }),
            new("Model", "string", HasCompleter: true),
            new("Count", "int", Aliases: new[] { "n" }),
            new("Size", "string", HasCompleter: true),
            new("ResponseFormat", "string", HasCompleter: true),
            new("User", "string"),
        })));

    public static readonly CmdletContract ConvertToAlphaMask = new(
        "ConvertTo-AlphaMask",
        "OpenAIImages.Commands.ConvertToAlphaMaskCommand",
        SupportsShouldProcess: true,
        DefaultParameterSet: "Path",
        OutputTypes: new[] { "OpenAIImages.Engine.Results.MaskImage" },
        Parameters: Sorted(Saving.Concat(new ParameterContract[]
        {
            new("Path", "string[]", Mandatory: true, Position: 0, FromPipelineByPropertyName: true, Sets: new[] { "Path" }, SupportsWildcards: true),
            new("LiteralPath", "string[]", Mandatory: true, FromPipelineByPropertyName: true, Aliases: new[] { "LP", "PSPath" }, Sets: new[] { "LiteralPath" }),
            new("InputObject", "object", Mandatory: true, FromPipeline: true, Sets: new[] { "InputObject" }),
            new("Invert", "switch"),
            new("Threshold", "int"),
            new("MatchSize", "object"),
            new("Width", "int"),
            new("Height", "int"),
            new("Resampling", "OpenAIImages.Commands.MaskResamplingMode"),
        })));

    public static IReadOnlyList<CmdletContract> All => new[] { NewOpenAIImage, EditOpenAIImage, NewOpenAIImageVariation, ConvertToAlphaMask };

    private static IReadOnlyList<ParameterContract> Sorted(IEnumerable<ParameterContract> parameters) => parameters.OrderBy(p => p.Name).ToList();
}
