using System.Diagnostics;
using OpenAIImages.Engine.Threading;
using Xunit;

namespace OpenAIImages.Tests.Engine;

/// <summary>The marshalling every cmdlet relies on: async work reports on the calling (pipeline) thread only.</summary>
public class CallerThreadDispatcherTests
{
    [Fact]
    public void ActionsPostedByTheWorkRunOnTheCallingThreadInOrder()
    {
        using var dispatcher = new CallerThreadDispatcher();
        int caller = Environment.CurrentManagedThreadId;
        var seen = new List<(int Value, int Thread)>();
        dispatcher.Run(async () =>
        {
            for (int i = 0; i < 20; i++)
            {
                int value = i;
                dispatcher.Post(() => seen.Add((value, Environment.CurrentManagedThreadId)));
                await Task.Yield();
            }
        }, null, TimeSpan.FromSeconds(1));

        Assert.Equal(Enumerable.Range(0, 20), seen.Select(s => s.Value));
        Assert.All(seen, s => Assert.Equal(caller, s.Thread));
    }

    [Fact]
    public async Task WhatIsPostedBetweenRunsGoesOutFirstInTheNextRun()
    {
        using var dispatcher = new CallerThreadDispatcher();
        var seen = new List<string>();
        Task background = Task.CompletedTask;
        dispatcher.Run(() =>
        {
            // Work that outlives this run, as a request in flight between two pipeline items does.
            background = Task.Run(async () => { await Task.Delay(50); dispatcher.Post(() => seen.Add("late warning")); });
            return Task.CompletedTask;
        }, null, TimeSpan.FromSeconds(1));
        await background;
        Assert.Empty(seen);

        dispatcher.Run(() => { dispatcher.Post(() => seen.Add("next item")); return Task.CompletedTask; }, null, TimeSpan.FromSeconds(1));
        Assert.Equal(new[] { "late warning", "next item" }, seen);
    }

    [Fact]
    public void InvokeReturnsTheAnswerFromTheCallingThread()
    {
        using var dispatcher = new CallerThreadDispatcher();
        int caller = Environment.CurrentManagedThreadId;
        int answeredOn = -1;
        bool answer = false;
        dispatcher.Run(async () =>
        {
            await Task.Delay(10);
            answer = dispatcher.Invoke(() => { answeredOn = Environment.CurrentManagedThreadId; return true; }, CancellationToken.None);
        }, null, TimeSpan.FromSeconds(1));
        Assert.True(answer);
        Assert.Equal(caller, answeredOn);
        Assert.Throws<InvalidOperationException>(() =>
            dispatcher.Run(() => Task.Run(() => dispatcher.Invoke<int>(() => throw new InvalidOperationException("no"), CancellationToken.None)), null, TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public void ARunEndsAsSoonAsItsWorkIsDone()
    {
        using var dispatcher = new CallerThreadDispatcher();
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < 20; i++) dispatcher.Run(async () => await Task.Delay(1), null, TimeSpan.FromSeconds(5));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(4), $"20 short runs took {clock.Elapsed}; a run must not wait for its idle tick");
    }

    [Fact]
    public void IdleTicksReportTheTimeWaited()
    {
        using var dispatcher = new CallerThreadDispatcher();
        var ticks = new List<TimeSpan>();
        dispatcher.Run(async () => await Task.Delay(350), ticks.Add, TimeSpan.FromMilliseconds(100));
        Assert.NotEmpty(ticks);
        Assert.All(ticks, t => Assert.True(t >= TimeSpan.FromMilliseconds(90), $"a tick came after only {t}"));
        Assert.True(ticks.SequenceEqual(ticks.OrderBy(t => t)));
    }

    [Fact]
    public void ExceptionsOfTheWorkAndOfPostedActionsReachTheCaller()
    {
        using var dispatcher = new CallerThreadDispatcher();
        Assert.Throws<TimeoutException>(() => dispatcher.Run(async () => { await Task.Yield(); throw new TimeoutException(); }, null, TimeSpan.FromSeconds(1)));

        // An action that throws on the calling thread (PowerShell's PipelineStoppedException, say) ends the run at once.
        var release = new TaskCompletionSource();
        var clock = Stopwatch.StartNew();
        Assert.Throws<OperationCanceledException>(() => dispatcher.Run(async () =>
        {
            dispatcher.Post(() => throw new OperationCanceledException("stopped"));
            await release.Task;
        }, null, TimeSpan.FromSeconds(1)));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2));
        release.SetResult();
    }

    [Fact]
    public void OnTheRunThreadActionsRunAtOnce()
    {
        using var dispatcher = new CallerThreadDispatcher();
        bool ranInline = false;
        dispatcher.Run(() =>
        {
            dispatcher.Post(() => ranInline = dispatcher.IsOnRunThread);
            return Task.CompletedTask;
        }, null, TimeSpan.FromSeconds(1));
        Assert.True(ranInline);
        Assert.False(dispatcher.IsOnRunThread);
    }
}
