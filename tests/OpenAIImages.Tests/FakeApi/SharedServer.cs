using OpenAIImages.FakeApi;
using Xunit;

namespace OpenAIImages.Tests.FakeApi;

/// <summary>One server for a test class whose tests leave its options alone.</summary>
public sealed class SharedServer : IAsyncLifetime
{
    public FakeOpenAIServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await FakeOpenAIServer.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
