namespace OpenAIImages.Benchmarks.Report;

/// <summary>What a row says about its target: met, not met, or a figure shown for context with no target.</summary>
public enum Verdict
{
    Info,
    Pass,
    Miss,
    Skipped,
}

/// <summary>One line of the results table: a figure of ours, the figure it is compared with, and the target.</summary>
public sealed record ResultRow(string Area, string Metric, string Ours, string Reference, string Target, Verdict Verdict)
{
    public string VerdictText => Verdict switch
    {
        Verdict.Pass => "PASS",
        Verdict.Miss => "MISS",
        Verdict.Skipped => "SKIP",
        _ => "info",
    };

    public static ResultRow Check(string area, string metric, string ours, string reference, string target, bool met) =>
        new(area, metric, ours, reference, target, met ? Verdict.Pass : Verdict.Miss);

    public static ResultRow Info(string area, string metric, string ours, string reference = "") =>
        new(area, metric, ours, reference, "", Verdict.Info);
}
