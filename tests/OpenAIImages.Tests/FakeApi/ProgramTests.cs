using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using Xunit;

namespace OpenAIImages.Tests.FakeApi;

/// <summary>The standalone server: started as its own process, exactly as a demo or a Pester run would.</summary>
public sealed class ProgramTests
{
    private static Process Start(params string[] args)
    {
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "OpenAIImages.FakeApi.dll"));
        foreach (var arg in args) info.ArgumentList.Add(arg);
        return Process.Start(info)!;
    }

    [Fact]
    public async Task PrintsItsAddressAndServesWithTheGivenKeyAndLatency()
    {
        using var process = Start("--port", "0", "--api-key", "demo-key", "--latency-ms", "200");
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            string? line = await process.StandardOutput.ReadLineAsync(timeout.Token);
            var match = Regex.Match(line ?? "", @"^FakeApi listening on (http://127\.0\.0\.1:(\d+)/v1/)$");
            Assert.True(match.Success, $"unexpected first line: '{line}' (stderr: {(process.HasExited ? await process.StandardError.ReadToEndAsync() : "")})");
            Assert.NotEqual("0", match.Groups[2].Value);

            using var client = new HttpClient { BaseAddress = new Uri(match.Groups[1].Value) };
            client.DefaultRequestHeaders.Add("Authorization", "Bearer demo-key");
            var clock = Stopwatch.StartNew();
            var response = await client.PostAsync("images/generations", FakeApiHttp.Json("""{"prompt":"x","size":"256x256"}"""));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.True(clock.ElapsedMilliseconds >= 180, $"took {clock.ElapsedMilliseconds} ms");

            client.DefaultRequestHeaders.Remove("Authorization");
            client.DefaultRequestHeaders.Add("Authorization", "Bearer test-key");
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsync("images/generations", FakeApiHttp.Json("""{"prompt":"x"}"""))).StatusCode);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    [Fact]
    public async Task RefusesABadNumber()
    {
        using var process = Start("--latency-ms", "soon");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await process.WaitForExitAsync(timeout.Token);
        Assert.Equal(2, process.ExitCode);
        Assert.Contains("--latency-ms", await process.StandardError.ReadToEndAsync());
    }
}
