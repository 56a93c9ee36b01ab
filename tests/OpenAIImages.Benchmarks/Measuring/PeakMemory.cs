namespace OpenAIImages.Benchmarks.Measuring;

/// <summary>
/// The process's peak resident set, from /proc/self/status. Writing 5 to /proc/self/clear_refs resets the peak
/// (VmHWM) to the current resident set, so the growth during one operation can be read without a fresh process.
/// </summary>
public static class PeakMemory
{
    public static bool IsAvailable => File.Exists("/proc/self/status") && File.Exists("/proc/self/clear_refs");

    /// <summary>Resets the peak and returns the resident set it starts from, in bytes.</summary>
    public static long ResetPeak()
    {
        File.WriteAllText("/proc/self/clear_refs", "5");
        return ReadKib("VmRSS:") * 1024;
    }

    public static long PeakBytes() => ReadKib("VmHWM:") * 1024;

    private static long ReadKib(string field)
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith(field, StringComparison.Ordinal))
                return long.Parse(new string(line.Where(char.IsDigit).ToArray()));
        throw new InvalidOperationException($"/proc/self/status has no {field} line.");
    }
}
