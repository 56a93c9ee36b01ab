using OpenAIImages.Engine;
using OpenAIImages.Engine.Http;
using OpenAIImages.Engine.Validation;
using Xunit;

namespace OpenAIImages.Tests.Engine;

public class ConnectionResolverTests
{
    private static Func<string, string?> Env(params (string Name, string Value)[] values) =>
        name => values.FirstOrDefault(v => v.Name == name).Value;

    [Fact]
    public void NoKeyAnywhereIsRefused()
    {
        var error = Assert.Throws<ImageRequestException>(() => ConnectionResolver.Resolve(new ConnectionOptions(), Env()));
        Assert.Equal(ErrorIds.ApiKeyMissing, error.ErrorId);
        Assert.Contains("OPENAI_API_KEY", error.Message);
    }

    [Fact]
    public void TheEnvironmentFillsWhatWasNotGiven()
    {
        var connection = ConnectionResolver.Resolve(new ConnectionOptions(), Env(
            ("OPENAI_API_KEY", "test-key"), ("OPENAI_BASE_URL", "https://example.test/v1"), ("OPENAI_ORG_ID", "org-1"), ("OPENAI_PROJECT_ID", "proj-1")));
        Assert.Equal("https://example.test/v1/", connection.BaseUri.AbsoluteUri);
        Assert.Equal("org-1", connection.Organization);
        Assert.Equal("proj-1", connection.Project);
        Assert.Equal("test-key", connection.Credential.Reveal());
    }

    [Fact]
    public void ExplicitOptionsWin()
    {
        var connection = ConnectionResolver.Resolve(new ConnectionOptions
        {
            Credential = ApiCredential.FromString("test-key-2"),
            BaseUri = new Uri("https://other.test/api/v1"),
            Organization = "org-x",
            Timeout = TimeSpan.FromSeconds(5),
        }, Env(("OPENAI_API_KEY", "test-key"), ("OPENAI_BASE_URL", "https://example.test/v1"), ("OPENAI_ORG_ID", "org-1")));
        Assert.Equal("https://other.test/api/v1/", connection.BaseUri.AbsoluteUri);
        Assert.Equal("org-x", connection.Organization);
        Assert.Equal(TimeSpan.FromSeconds(5), connection.Timeout);
        Assert.Equal("test-key-2", connection.Credential.Reveal());
        Assert.Equal("https://other.test/api/v1/images/generations", connection.EndpointFor("images/generations").AbsoluteUri);
    }

    [Theory]
    [InlineData("http://example.test/v1", false)]
    [InlineData("http://10.1.2.3/v1", false)]
    [InlineData("http://127.0.0.1:5000/v1", true)]
    [InlineData("http://localhost:5000/v1", true)]
    [InlineData("http://[::1]:5000/v1", true)]
    [InlineData("https://example.test/v1", true)]
    public void PlainHttpIsOnlyForThisMachine(string uri, bool allowed)
    {
        var options = new ConnectionOptions { Credential = ApiCredential.FromString("test-key"), BaseUri = new Uri(uri) };
        if (allowed)
        {
            ConnectionResolver.Resolve(options, Env());
        }
        else
        {
            Assert.Equal(ErrorIds.InsecureBaseUri, Assert.Throws<ImageRequestException>(() => ConnectionResolver.Resolve(options, Env())).ErrorId);
            options.AllowInsecureHttp = true;
            ConnectionResolver.Resolve(options, Env());
        }
    }

    [Fact]
    public void AnAccessTokenWithoutAzureIsABearerToken()
    {
        var connection = ConnectionResolver.Resolve(new ConnectionOptions { AccessToken = ApiCredential.FromString("test-token"), BaseUri = new Uri("https://gateway.example.test/v1") }, Env(("OPENAI_API_KEY", "test-key")));
        Assert.Equal(CredentialKind.BearerAccessToken, connection.Credential.Kind);
        Assert.Equal("test-token", connection.Credential.Reveal());
    }

    [Fact]
    public void TheDefaultModelComesFromTheEnvironment()
    {
        Assert.Equal("gpt-image-2", ConnectionResolver.DefaultModel(Env(), "gpt-image-2"));
        Assert.Equal("gpt-image-1", ConnectionResolver.DefaultModel(Env(("OPENAI_IMAGE_MODEL", " gpt-image-1 ")), "gpt-image-2"));
    }

    [Fact]
    public void CredentialsNeverShowInText()
    {
        var key = ApiCredential.FromString("test-key-secret-value");
        Assert.DoesNotContain("secret", key.ToString());
        var secure = new System.Security.SecureString();
        foreach (char c in "test-key-secret-value") secure.AppendChar(c);
        var fromSecure = ApiCredential.FromSecureString(secure);
        Assert.DoesNotContain("secret", fromSecure.ToString());
        Assert.Equal("test-key-secret-value", fromSecure.Reveal());
    }
}
