using OpenAIImages.Engine.Batching;
using Xunit;

namespace OpenAIImages.Tests.Engine;

public class OrderedBatchTests
{
    [Fact]
    public async Task OutcomesComeInInputOrderWhateverOrderWorkFinishesIn()
    {
        var random = new Random(3);
        var delays = Enumerable.Range(0, 40).Select(_ => random.Next(0, 30)).ToArray();
        int running = 0, peak = 0;
        var outcomes = new List<int>();
        using var batch = new OrderedBatch<int>(4, CancellationToken.None);
        for (int i = 0; i < delays.Length; i++)
        {
            int item = i;
            batch.Add(item, async token =>
            {
                int now = Interlocked.Increment(ref running);
                InterlockedMax(ref peak, now);
                await Task.Delay(delays[item], token);
                Interlocked.Decrement(ref running);
                return item * 10;
            });
            outcomes.AddRange(batch.TakeReady().Select(o => o.Result));
            while (batch.IsFull) outcomes.Add((await batch.TakeNextAsync())!.Result);
        }
        while (await batch.TakeNextAsync() is { } last) outcomes.Add(last.Result);

        Assert.Equal(Enumerable.Range(0, 40).Select(i => i * 10), outcomes);
        Assert.InRange(peak, 2, 4);
    }

    [Fact]
    public async Task FailuresKeepTheirPlace()
    {
        using var batch = new OrderedBatch<string>(2, CancellationToken.None);
        batch.Add("a", async _ => { await Task.Delay(30); return "A"; });
        batch.AddFailed("b", new InvalidOperationException("bad input"));
        batch.Add("c", _ => throw new TimeoutException("late"));
        batch.Add("d", _ => Task.FromResult("D"));
        var outcomes = new List<BatchOutcome<string>>();
        while (await batch.TakeNextAsync() is { } outcome) outcomes.Add(outcome);

        Assert.Equal(new[] { "a", "b", "c", "d" }, outcomes.Select(o => (string)o.Tag!));
        Assert.Equal("A", outcomes[0].Result);
        Assert.IsType<InvalidOperationException>(outcomes[1].Error);
        Assert.IsType<TimeoutException>(outcomes[2].Error);
        Assert.Equal("D", outcomes[3].Result);
    }

    [Fact]
    public async Task ThrottleLimitOneRunsOneAtATime()
    {
        int running = 0, peak = 0;
        using var batch = new OrderedBatch<int>(1, CancellationToken.None);
        for (int i = 0; i < 5; i++)
            batch.Add(i, async _ => { InterlockedMax(ref peak, Interlocked.Increment(ref running)); await Task.Delay(5); Interlocked.Decrement(ref running); return 0; });
        while (await batch.TakeNextAsync() is not null) { }
        Assert.Equal(1, peak);
    }

    [Fact]
    public async Task CancellingStopsItemsThatHaveNotStarted()
    {
        using var cancel = new CancellationTokenSource();
        using var batch = new OrderedBatch<int>(1, cancel.Token);
        var started = new List<int>();
        for (int i = 0; i < 3; i++)
        {
            int item = i;
            batch.Add(item, async token => { lock (started) started.Add(item); await Task.Delay(Timeout.Infinite, token); return item; });
        }
        // Wait for the first item to be running (not a fixed delay, which a busy machine can outlast).
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (!HasStarted(started, 0) && DateTime.UtcNow < deadline) await Task.Delay(5);
        Assert.True(HasStarted(started, 0), "the first item never started");
        cancel.Cancel();
        var outcomes = new List<BatchOutcome<int>>();
        while (await batch.TakeNextAsync() is { } outcome) outcomes.Add(outcome);
        // Every item still has its outcome, in input order: the running one and the two that never started.
        Assert.Equal(new[] { 0, 1, 2 }, outcomes.Select(o => (int)o.Tag!));
        Assert.All(outcomes, o => Assert.IsAssignableFrom<OperationCanceledException>(o.Error));
        lock (started) Assert.Equal(new[] { 0 }, started);
    }

    private static bool HasStarted(List<int> started, int item)
    {
        lock (started) return started.Contains(item);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current) { }
    }
}
