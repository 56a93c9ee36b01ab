using System.Diagnostics;

namespace OpenAIImages.Benchmarks.Payload;

/// <summary>Starts this program again as a <see cref="PayloadServer"/> and knows the address it listens on.</summary>
public sealed class PayloadServerProcess : IDisposable
{
    private readonly Process _process;

    private PayloadServerProcess(Process process, Uri root)
    {
        _process = process;
        Root = root;
    }

    /// <summary>http://127.0.0.1:PORT/</summary>
    public Uri Root { get; }

    public Uri Big => new(Root, PayloadServer.BigPath);

    public Uri Small => new(Root, PayloadServer.SmallPath);

    public Uri BatchApi => new(Root, PayloadServer.BatchPath);

    public static async Task<PayloadServerProcess> StartAsync(string payloadFile)
    {
        var start = SelfLauncher.StartInfo("--serve", payloadFile);
        start.RedirectStandardInput = true;
        start.RedirectStandardOutput = true;
        var process = Process.Start(start) ?? throw new InvalidOperationException("The payload server did not start.");
        string? line;
        while ((line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60))) != null)
            if (line.StartsWith("listening ", StringComparison.Ordinal))
                return new PayloadServerProcess(process, new Uri(line["listening ".Length..]));
        throw new InvalidOperationException("The payload server ended before it listened.");
    }

    public void Dispose()
    {
        try
        {
            _process.StandardInput.Close();
            if (!_process.WaitForExit(10_000)) _process.Kill();
        }
        finally
        {
            _process.Dispose();
        }
    }
}
