using System.Net;
using System.Net.Sockets;
using System.Security;
using System.Text;
using OpenAIImages.Engine;
using OpenAIImages.Engine.Files;
using OpenAIImages.Engine.Http;
using OpenAIImages.Engine.Requests;
using OpenAIImages.FakeApi;
using OpenAIImages.FakeApi.Faults;
using OpenAIImages.FakeApi.Recording;
using OpenAIImages.Tests.Support;
using Xunit;

namespace OpenAIImages.Tests.Reliability;

public class AzureAndSecurityTests
{
    private static OpenAIConnection Azure(FakeOpenAIServer server, ConnectionOptions options)
    {
        options.AzureEndpoint = server.Root;
        options.UserAgent = "OpenAIImages.Tests";
        return ConnectionResolver.Resolve(options, _ => null);
    }

    [Fact]
    public async Task AzureDeploymentRequestsUseTheApiKeyHeaderAndApiVersion()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        var connection = Azure(server, new ConnectionOptions { Credential = ApiCredential.FromString("test-key"), AzureDeployment = "images-prod", AzureApiVersion = "2025-04-01-preview" });
        var image = Assert.Single(await new OpenAIImageClient(connection).GenerateAsync(new ImageGenerationRequest { Model = "gpt-image-1", Prompt = "a red barn", Size = "1024x1024", Quality = "low" }));
        Assert.NotNull(image.Bytes);

        var request = server.Requests.Single();
        Assert.Equal("/openai/deployments/images-prod/images/generations", request.Path);
        Assert.Equal("?api-version=2025-04-01-preview", request.Query);
        Assert.Equal(ApiShape.AzureDeployment, request.Shape);
        Assert.Equal("images-prod", request.Deployment);
        Assert.Equal("test-key", request.Headers["api-key"]);
        Assert.False(request.Headers.ContainsKey("Authorization"));
        Assert.Equal("gpt-image-1", request.Json!.Value.GetProperty("model").GetString());
        Assert.Equal("a red barn", request.Json!.Value.GetProperty("prompt").GetString());
    }

    [Fact]
    public async Task AzureBearerTokensGoInTheAuthorizationHeader()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        server.Options.ApiKey = "test-entra-token";
        var connection = Azure(server, new ConnectionOptions { AccessToken = ApiCredential.FromString("test-entra-token"), AzureDeployment = "images-prod" });
        await new OpenAIImageClient(connection).GenerateAsync(new ImageGenerationRequest { Model = "gpt-image-1", Prompt = "a red barn", Quality = "low" });

        var request = server.Requests.Single();
        Assert.Equal("Bearer test-entra-token", request.Headers["Authorization"]);
        Assert.False(request.Headers.ContainsKey("api-key"));
        Assert.Equal("?api-version=" + ConnectionResolver.DefaultAzureApiVersion, request.Query);
    }

    [Fact]
    public async Task AzureWithoutADeploymentUsesTheV1Api()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        var connection = Azure(server, new ConnectionOptions { Credential = ApiCredential.FromString("test-key") });
        var request = new ImageEditRequest { Model = "gpt-image-1", Prompt = "add snow" };
        request.Images.Add(new ImageInput(TestImages.Solid(32, 32, 9, 9, 9), "a.png"));
        await new OpenAIImageClient(connection).EditAsync(request);

        var recorded = server.Requests.Single();
        Assert.Equal("/openai/v1/images/edits", recorded.Path);
        Assert.Equal(ApiShape.AzureV1, recorded.Shape);
        Assert.Equal("test-key", recorded.Headers["api-key"]);
        Assert.Equal("image", recorded.Parts!.Single(p => p.IsFile).Name);
    }

    [Fact]
    public void AzureNeedsACredentialAndCannotBeMixedWithBaseUri()
    {
        var missing = Assert.Throws<OpenAIImages.Engine.Validation.ImageRequestException>(() =>
            ConnectionResolver.Resolve(new ConnectionOptions { AzureEndpoint = new Uri("https://contoso.openai.azure.com") }, _ => null));
        Assert.Equal("ApiKeyMissing", missing.ErrorId);
        Assert.Contains("AZURE_OPENAI_API_KEY", missing.Message);
        var both = Assert.Throws<OpenAIImages.Engine.Validation.ImageRequestException>(() =>
            ConnectionResolver.Resolve(new ConnectionOptions { AzureEndpoint = new Uri("https://contoso.openai.azure.com"), BaseUri = new Uri("https://api.openai.com/v1"), Credential = ApiCredential.FromString("test-key") }, _ => null));
        Assert.Contains("not both", both.Message);
        var fromEnvironment = ConnectionResolver.Resolve(new ConnectionOptions { AzureDeployment = "d" },
            name => name switch { "AZURE_OPENAI_ENDPOINT" => "https://contoso.openai.azure.com/", "AZURE_OPENAI_API_KEY" => "test-key", _ => null });
        Assert.Equal("https://contoso.openai.azure.com/openai/deployments/d/images/generations?api-version=" + ConnectionResolver.DefaultAzureApiVersion,
            fromEnvironment.EndpointFor("images/generations").AbsoluteUri);
        Assert.Equal(CredentialKind.AzureApiKey, fromEnvironment.Credential.Kind);
    }

    [Fact]
    public async Task AzureContentFilterErrorsAreClear()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        server.Options.Faults.Add(new FaultRule(FaultKind.ModerationBlocked));
        var connection = Azure(server, new ConnectionOptions { Credential = ApiCredential.FromString("test-key"), AzureDeployment = "d" });
        var error = await Assert.ThrowsAsync<OpenAIApiException>(() => new OpenAIImageClient(connection).GenerateAsync(new ImageGenerationRequest { Prompt = "x" }));
        Assert.Equal("OpenAIContentBlocked", error.ErrorId);
    }

    [Fact]
    public async Task CredentialsAreDroppedWhenARedirectLeavesTheHost()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        // A server on 127.0.0.1 that sends every request on to "localhost", another host name for the client.
        using var redirector = new TcpListener(IPAddress.Loopback, 0);
        redirector.Start();
        int port = ((IPEndPoint)redirector.LocalEndpoint).Port;
        var target = new UriBuilder(server.BaseUri) { Host = "localhost" }.Uri;
        var serving = Task.Run(async () =>
        {
            using var socket = await redirector.AcceptTcpClientAsync();
            var stream = socket.GetStream();
            var buffer = new byte[65536];
            int total = 0;
            while (!Encoding.ASCII.GetString(buffer, 0, total).Contains("\r\n\r\n")) total += await stream.ReadAsync(buffer.AsMemory(total));
            string location = new Uri(target, "images/generations").AbsoluteUri;
            var answer = Encoding.ASCII.GetBytes($"HTTP/1.1 307 Temporary Redirect\r\nLocation: {location}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
            await stream.WriteAsync(answer);
        });
        var client = new OpenAIImageClient(new OpenAIConnection(new Uri($"http://127.0.0.1:{port}/v1/"), ApiCredential.FromString("test-key")) { Retry = new RetryPolicy { MaxRetries = 0 } });
        var error = await Assert.ThrowsAsync<OpenAIApiException>(() => client.GenerateAsync(new ImageGenerationRequest { Prompt = "follow me", Quality = "low" }));
        await serving;

        Assert.Equal(401, error.StatusCode);
        var arrived = server.Requests.Single();
        Assert.False(arrived.Headers.ContainsKey("Authorization"), "the key must not follow a redirect to another host");
        Assert.Equal("follow me", arrived.Json!.Value.GetProperty("prompt").GetString());
    }

    [Fact]
    public async Task RequestsGoThroughTheProxyGiven()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        // The loopback server stands in for the proxy: it answers the absolute-form request a client sends to a
        // proxy. The API host itself does not exist, so only a request sent via the proxy can succeed.
        var connection = new OpenAIConnection(new Uri("http://images-api.invalid/v1/"), ApiCredential.FromString("test-key"))
        {
            Proxy = new ProxySettings(server.Root, new NetworkCredential("proxy-user", "proxy-password")),
            Retry = new RetryPolicy { MaxRetries = 0 },
        };
        var image = Assert.Single(await new OpenAIImageClient(connection).GenerateAsync(new ImageGenerationRequest { Prompt = "via proxy", Quality = "low" }));
        Assert.NotNull(image.Bytes);
        var recorded = server.Requests.Single();
        Assert.Equal("/v1/images/generations", recorded.Path);
        Assert.Equal("images-api.invalid", recorded.Headers["Host"]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AServerThatQuotesTheKeyDoesNotPutItInErrorsOrWarnings(bool stream)
    {
        const string key = "test-key-0123456789-do-not-print";
        await using var server = await FakeOpenAIServer.StartAsync();
        server.Options.ApiKey = key;
        server.Options.Faults.Add(stream
            ? new FaultRule(FaultKind.StreamError) { AfterEvents = 1, StatusCode = 401, Message = $"Invalid API key: {key}" }
            : new FaultRule(FaultKind.Status) { StatusCode = 503, Message = $"Upstream refused the key {key} ({key})" });
        var client = new OpenAIImageClient(new OpenAIConnection(server.BaseUri, ApiCredential.FromString(key))
        {
            Retry = new RetryPolicy { MaxRetries = 1, InitialDelay = TimeSpan.FromMilliseconds(10) },
        }) { Notices = new OpenAIImages.Engine.Models.ShutdownNotices() };
        var observer = new RecordingObserver();

        var error = await Assert.ThrowsAsync<OpenAIApiException>(() => client.GenerateAsync(new ImageGenerationRequest { Prompt = "a fox", Quality = "low", Stream = stream, PartialImages = stream ? 2 : null }, observer));
        Assert.Contains("(hidden)", error.ApiMessage);
        Assert.DoesNotContain("0123456789-do-not", error.ToString());
        Assert.DoesNotContain("0123456789-do-not", error.ApiMessage);
        Assert.All(observer.Messages, m => Assert.DoesNotContain("0123456789-do-not", m.Text));
        if (!stream) Assert.Contains(observer.Warnings, w => w.Contains("Retrying") && w.Contains("(hidden)"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task TheKeyNeverAppearsInMessagesErrorsOrFiles(bool secure)
    {
        const string key = "test-key-0123456789-do-not-print";
        string dir = Directory.CreateTempSubdirectory("oai-secret-").FullName;
        try
        {
            await using var server = await FakeOpenAIServer.StartAsync();
            server.Options.ApiKey = key;
            ApiCredential credential;
            if (secure)
            {
                var secret = new SecureString();
                foreach (char c in key) secret.AppendChar(c);
                credential = ApiCredential.FromSecureString(secret);
            }
            else
            {
                credential = ApiCredential.FromString(key);
            }
            var client = new OpenAIImageClient(new OpenAIConnection(server.BaseUri, credential)
            {
                Timeout = TimeSpan.FromMilliseconds(800),
                Retry = new RetryPolicy { MaxRetries = 1, InitialDelay = TimeSpan.FromMilliseconds(10) },
            }) { Notices = new OpenAIImages.Engine.Models.ShutdownNotices() };
            var observer = new RecordingObserver();
            var texts = new List<string> { credential.ToString(), client.Connection.ToString()!, client.Connection.Credential.ToString() };

            // Success, with saving; then every kind of failure.
            var images = await client.GenerateAsync(new ImageGenerationRequest { Prompt = "a fox", Model = "dall-e-2", Size = "256x256", ResponseFormat = "url" }, observer);
            await ImageSaver.SaveAllAsync(images, new ImageSaveTarget { Directory = dir }, null, CancellationToken.None);
            texts.AddRange(images.Select(i => i.ToString()));
            server.Options.Faults.Add(new FaultRule(FaultKind.Status) { StatusCode = 429, OnRequests = new[] { 1 } });
            server.Options.Faults.Add(new FaultRule(FaultKind.Status) { StatusCode = 500, OnRequests = new[] { 3, 4 } });
            server.Options.Faults.Add(new FaultRule(FaultKind.SlowResponse) { Delay = TimeSpan.FromSeconds(3), OnRequests = new[] { 5, 6 } });
            server.Options.Faults.Add(new FaultRule(FaultKind.MalformedJson) { OnRequests = new[] { 7 } });
            for (int i = 0; i < 4; i++)
            {
                try
                {
                    await client.GenerateAsync(new ImageGenerationRequest { Prompt = "a fox " + i, Quality = "low" }, observer);
                }
                catch (Exception e)
                {
                    texts.Add(e.ToString());
                }
            }
            var wrongKey = new OpenAIImageClient(new OpenAIConnection(server.BaseUri, ApiCredential.FromString(key + "-wrong")) { Retry = new RetryPolicy { MaxRetries = 0 } });
            try { await wrongKey.GenerateAsync(new ImageGenerationRequest { Prompt = "x" }, observer); } catch (Exception e) { texts.Add(e.ToString()); }
            texts.AddRange(observer.Messages.Select(m => m.Text));

            Assert.Contains(observer.Messages, m => m.Kind == "debug" && m.Text.Contains("Authorization: Bearer (hidden)"));
            Assert.Contains(observer.Messages, m => m.Kind == "warning" && m.Text.Contains("Retrying"));
            Assert.True(texts.Count > 15);
            foreach (string text in texts) Assert.DoesNotContain("0123456789-do-not", text);
            foreach (string file in Directory.GetFiles(dir, "*", SearchOption.AllDirectories))
                Assert.DoesNotContain("0123456789-do-not", Encoding.Latin1.GetString(File.ReadAllBytes(file)));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
