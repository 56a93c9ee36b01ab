using System.Net;
using OpenAIImages.FakeApi;
using Xunit;

namespace OpenAIImages.Tests.FakeApi;

public sealed class AuthTests
{
    private const string Body = """{"model":"dall-e-2","prompt":"x","size":"256x256","response_format":"b64_json"}""";

    private static async Task AssertUnauthorizedAsync(HttpResponseMessage response)
    {
        var error = await response.ReadErrorAsync();
        Assert.Equal((401, "invalid_request_error", "invalid_api_key", (string?)null), (error.Status, error.Type, error.Code, error.Param));
    }

    [Fact]
    public async Task MissingWrongAndRightBearerKeys()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        using var none = FakeApiHttp.Client(server, key: null);
        using var wrong = FakeApiHttp.Client(server, key: "test-key-wrong");
        using var right = FakeApiHttp.Client(server);

        var missing = await none.GenerateAsync(Body);
        await AssertUnauthorizedAsync(missing);
        var incorrect = await wrong.GenerateAsync(Body);
        await AssertUnauthorizedAsync(incorrect);
        Assert.DoesNotContain("test-key-wrong", await incorrect.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await right.GenerateAsync(Body)).StatusCode);
        Assert.Equal(new[] { 401, 401, 200 }, server.Requests.Select(r => r.ResponseStatus));
    }

    [Fact]
    public async Task TheKeyCanChangeWhileRunning()
    {
        await using var server = await FakeOpenAIServer.StartAsync(new FakeServerOptions { ApiKey = "first-key" });
        using var client = FakeApiHttp.Client(server, "first-key");
        Assert.Equal(HttpStatusCode.OK, (await client.GenerateAsync(Body)).StatusCode);
        server.Options.ApiKey = "second-key";
        await AssertUnauthorizedAsync(await client.GenerateAsync(Body));
    }

    [Fact]
    public async Task TheApiKeyHeaderWorksOnlyOnAzureShapes()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        using var client = new HttpClient { BaseAddress = server.Root };
        client.DefaultRequestHeaders.Add("api-key", FakeApiHttp.Key);
        await AssertUnauthorizedAsync(await client.GenerateAsync(Body));
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("openai/v1/images/generations", FakeApiHttp.Json(Body))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync(server.AzureDeploymentUri("dall-e-2", "generations"), FakeApiHttp.Json(Body))).StatusCode);

        using var wrongAzure = new HttpClient { BaseAddress = server.Root };
        wrongAzure.DefaultRequestHeaders.Add("api-key", "nope");
        await AssertUnauthorizedAsync(await wrongAzure.PostAsync("openai/v1/images/generations", FakeApiHttp.Json(Body)));
    }

    [Fact]
    public async Task AuthIsCheckedBeforeValidation()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        using var none = FakeApiHttp.Client(server, key: null);
        await AssertUnauthorizedAsync(await none.GenerateAsync("""{"foo":1}"""));
    }
}
