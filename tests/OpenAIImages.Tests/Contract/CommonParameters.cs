namespace OpenAIImages.Tests.Contract;

/// <summary>The parameters PowerShell gives every cmdlet, with their aliases, as a call may name them.</summary>
public static class CommonParameters
{
    /// <summary>The common parameters of PowerShell 7.4 and later (ProgressAction is new there) and their aliases.</summary>
    public static readonly IReadOnlyList<string> Names = new[]
    {
        "Verbose", "vb", "Debug", "db", "ErrorAction", "ea", "WarningAction", "wa", "InformationAction", "infa",
        "ProgressAction", "proga", "ErrorVariable", "ev", "WarningVariable", "wv", "InformationVariable", "iv",
        "OutVariable", "ov", "OutBuffer", "ob", "PipelineVariable", "pv",
    };

    /// <summary>What SupportsShouldProcess adds, with the aliases.</summary>
    public static readonly IReadOnlyList<string> ShouldProcess = new[] { "WhatIf", "wi", "Confirm", "cf" };

    /// <summary>Every name and alias PowerShell adds to <paramref name="cmdlet"/>.</summary>
    public static IEnumerable<string> Of(CmdletContract cmdlet) =>
        cmdlet.SupportsShouldProcess ? Names.Concat(ShouldProcess) : Names;
}
