using System.Globalization;
using System.Runtime.InteropServices;
using OpenAIImages.FakeApi;

// Serves the fake API for demos and manual runs: prints its address on one line, then runs until Ctrl+C.
//   dotnet run --project tests/OpenAIImages.FakeApi -- [--port N] [--latency-ms N] [--api-key KEY]
var options = new FakeServerOptions { Port = IntArgument("--port") ?? 0 };
if (IntArgument("--latency-ms") is { } latency) options.Latency = TimeSpan.FromMilliseconds(latency);
if (StringArgument("--api-key") is { } key) options.ApiKey = key;

var stop = new TaskCompletionSource();
// Ctrl+C and a service manager's SIGTERM both stop the server cleanly (and SIGQUIT for good measure).
using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
using var onQuit = PosixSignalRegistration.Create(PosixSignal.SIGQUIT, Stop);

await using (var server = await FakeOpenAIServer.StartAsync(options))
{
    Console.WriteLine($"FakeApi listening on {server.BaseUri}");
    await stop.Task;
}
return 0;

string? StringArgument(string name)
{
    int i = Array.IndexOf(args, name);
    if (i < 0) return null;
    if (i + 1 >= args.Length) Fail($"{name} needs a value.");
    return args[i + 1];
}

int? IntArgument(string name)
{
    string? text = StringArgument(name);
    if (text is null) return null;
    if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value)) Fail($"{name} needs a non-negative whole number, not '{text}'.");
    return value;
}

void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    stop.TrySetResult();
}

static void Fail(string message)
{
    Console.Error.WriteLine(message);
    Environment.Exit(2);
}
