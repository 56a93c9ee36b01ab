namespace OpenAIImages.Benchmarks.Measuring;

public static class Stats
{
    /// <summary>The middle value (mean of the two middle ones for an even count): one slow outlier on shared cores does not move it.</summary>
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.OrderBy(v => v).ToArray();
        if (sorted.Length == 0) throw new ArgumentException("No values.", nameof(values));
        int mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
