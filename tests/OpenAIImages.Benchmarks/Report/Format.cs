using System.Globalization;

namespace OpenAIImages.Benchmarks.Report;

/// <summary>Figures as the table shows them: invariant culture, units a reader expects.</summary>
public static class Format
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static string MiB(double bytes) => (bytes / (1024.0 * 1024.0)).ToString("0.0", Invariant) + " MiB";

    /// <summary>KiB below one MiB, where "0.2 MiB" would hide a 4 % difference.</summary>
    public static string Size(double bytes) => bytes < 1024 * 1024 ? (bytes / 1024.0).ToString("0", Invariant) + " KiB" : MiB(bytes);

    public static string Ms(double milliseconds) => milliseconds.ToString(milliseconds < 10 ? "0.00" : "0", Invariant) + " ms";

    public static string Seconds(double seconds) => seconds.ToString("0.00", Invariant) + " s";

    public static string Us(double microseconds) => microseconds.ToString("0", Invariant) + " µs";

    /// <summary>A difference, always with its sign.</summary>
    public static string SignedUs(double microseconds) => (microseconds >= 0 ? "+" : "") + Us(microseconds);

    public static string Ratio(double ratio) => ratio.ToString("0.00", Invariant) + "x";

    public static string Number(double value, string format = "0.00") => value.ToString(format, Invariant);
}
