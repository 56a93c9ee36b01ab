using System.Diagnostics;

namespace OpenAIImages.Benchmarks.Measuring;

/// <summary>Wall time and bytes allocated by the whole process (every thread) over one measured call.</summary>
public readonly record struct Sample(double Milliseconds, long AllocatedBytes)
{
    /// <summary>
    /// Measures <paramref name="call"/> after a full collection. GC.GetTotalAllocatedBytes(precise: true) counts every
    /// thread, so continuations that run on pool threads are included; the caller makes sure nothing else runs.
    /// </summary>
    public static async Task<Sample> TakeAsync(Func<Task> call)
    {
        Settle();
        long before = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();
        await call().ConfigureAwait(false);
        clock.Stop();
        long after = GC.GetTotalAllocatedBytes(precise: true);
        return new Sample(clock.Elapsed.TotalMilliseconds, after - before);
    }

    public static Sample Take(Action call)
    {
        Settle();
        long before = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();
        call();
        clock.Stop();
        long after = GC.GetTotalAllocatedBytes(precise: true);
        return new Sample(clock.Elapsed.TotalMilliseconds, after - before);
    }

    /// <summary>Starts a measurement from a clean heap, so a collection owed by earlier work does not land inside it.</summary>
    public static void Settle()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }
}
