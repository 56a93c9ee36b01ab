using OpenAIImages.Engine;
using OpenAIImages.Engine.Http;
using OpenAIImages.FakeApi;

namespace OpenAIImages.Tests.Support;

/// <summary>Engine clients pointed at a loopback FakeApi.</summary>
public static class TestClients
{
    public const string Key = "test-key";

    public static OpenAIImageClient For(FakeOpenAIServer server, string key = Key, TimeSpan? timeout = null) =>
        new(new OpenAIConnection(server.BaseUri, ApiCredential.FromString(key))
        {
            Timeout = timeout ?? TimeSpan.FromSeconds(30),
            UserAgent = "OpenAIImages.Tests",
        });
}

/// <summary>An observer that keeps every message, for assertions.</summary>
public sealed class RecordingObserver : IOperationObserver
{
    private readonly List<(string Kind, string Text)> _messages = new();

    public IReadOnlyList<(string Kind, string Text)> Messages { get { lock (_messages) return _messages.ToList(); } }

    public IEnumerable<string> Warnings => Messages.Where(m => m.Kind == "warning").Select(m => m.Text);

    public void Verbose(string message) { lock (_messages) _messages.Add(("verbose", message)); }
    public void Debug(string message) { lock (_messages) _messages.Add(("debug", message)); }
    public void Warning(string message) { lock (_messages) _messages.Add(("warning", message)); }
}
