using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using OpenAIImages.FakeApi;
using Xunit;

namespace OpenAIImages.Tests.FakeApi;

/// <summary>
/// The FakeApi's /v1/files and /v1/batches are strict: the file's purpose and name, the batch's fields, and every
/// input line, validated as its endpoint validates a direct request; a bad line fails the batch with the line named.
/// </summary>
public sealed class BatchApiTests : IAsyncLifetime
{
    private FakeOpenAIServer _server = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _server = await FakeOpenAIServer.StartAsync();
        _server.Options.Batches.Step = TimeSpan.FromMilliseconds(20);
        _client = FakeApiHttp.Client(_server);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    private async Task<HttpResponseMessage> UploadAsync(string content, string purpose = "batch", string name = "input.jsonl")
    {
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes(content));
        file.Headers.ContentType = new MediaTypeHeaderValue("application/jsonl");
        form.Add(file, "file", name);
        form.Add(new StringContent(purpose), "purpose");
        return await _client.PostAsync("v1/files", form);
    }

    private static string Line(string customId, string url = "/v1/images/generations", string body = """{"model":"gpt-image-2","prompt":"A cat","size":"256x256","quality":"low"}""") =>
        $$"""{"custom_id":"{{customId}}","method":"POST","url":"{{url}}","body":{{body}}}""";

    private async Task<JsonElement> CreateAndWaitAsync(string fileId)
    {
        var created = await _client.PostAsync("v1/batches", FakeApiHttp.Json($$"""{"input_file_id":"{{fileId}}","endpoint":"/v1/images/generations","completion_window":"24h"}"""));
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        string id = (await created.ReadJsonAsync()).GetProperty("id").GetString()!;
        for (int i = 0; i < 200; i++)
        {
            var batch = await (await _client.GetAsync($"v1/batches/{id}")).ReadJsonAsync();
            if (batch.GetProperty("status").GetString() is "completed" or "failed") return batch;
            await Task.Delay(20);
        }
        throw new TimeoutException("The batch did not end.");
    }

    [Fact]
    public async Task AValidFileRunsToCompletedWithAnOutputLinePerRequest()
    {
        var file = await (await UploadAsync(Line("a") + "\n" + Line("b") + "\n")).ReadJsonAsync();
        var batch = await CreateAndWaitAsync(file.GetProperty("id").GetString()!);
        Assert.Equal("completed", batch.GetProperty("status").GetString());
        Assert.Equal(2, batch.GetProperty("request_counts").GetProperty("completed").GetInt32());
        string output = await _client.GetStringAsync($"v1/files/{batch.GetProperty("output_file_id").GetString()}/content");
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(new[] { "a", "b" }, lines.Select(l => l.GetProperty("custom_id").GetString()));
        Assert.All(lines, l => Assert.Equal(200, l.GetProperty("response").GetProperty("status_code").GetInt32()));
        Assert.All(lines, l => Assert.True(l.GetProperty("response").GetProperty("body").GetProperty("data")[0].GetProperty("b64_json").GetBytesFromBase64().Length > 0));
    }

    [Theory]
    [InlineData("duplicate custom_id", "duplicate_custom_id")]
    [InlineData("another url", "mismatched_endpoint")]
    [InlineData("a bad body", "invalid_value")]
    public async Task ABadLineFailsTheBatchNamingTheLine(string what, string code)
    {
        string second = what switch
        {
            "duplicate custom_id" => Line("a"),
            "another url" => Line("b", url: "/v1/images/edits"),
            _ => Line("b", body: """{"model":"gpt-image-2","prompt":"A cat","size":"4096x4096"}"""),
        };
        var file = await (await UploadAsync(Line("a") + "\n" + second + "\n")).ReadJsonAsync();
        var batch = await CreateAndWaitAsync(file.GetProperty("id").GetString()!);
        Assert.Equal("failed", batch.GetProperty("status").GetString());
        var error = batch.GetProperty("errors").GetProperty("data")[0];
        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.Equal(2, error.GetProperty("line").GetInt32());
    }

    [Fact]
    public async Task AnInputFileNeedsPurposeBatchAndAJsonlName()
    {
        await (await UploadAsync(Line("a"), name: "input.txt")).AssertInvalidAsync("file", "invalid_value");
        var other = await (await UploadAsync(Line("a"), purpose: "user_data", name: "input.jsonl")).ReadJsonAsync();
        var created = await _client.PostAsync("v1/batches", FakeApiHttp.Json($$"""{"input_file_id":"{{other.GetProperty("id").GetString()}}","endpoint":"/v1/images/generations","completion_window":"24h"}"""));
        await created.AssertInvalidAsync("input_file_id", "invalid_value");
    }

    [Fact]
    public async Task ABatchRequestIsStrict()
    {
        var file = await (await UploadAsync(Line("a"))).ReadJsonAsync();
        string id = file.GetProperty("id").GetString()!;
        await (await _client.PostAsync("v1/batches", FakeApiHttp.Json($$"""{"input_file_id":"{{id}}","endpoint":"/v1/images/generations","completion_window":"24h","priority":1}"""))).AssertInvalidAsync("priority", "unknown_parameter");
        await (await _client.PostAsync("v1/batches", FakeApiHttp.Json($$"""{"input_file_id":"{{id}}","endpoint":"/v1/images/generations","completion_window":"48h"}"""))).AssertInvalidAsync("completion_window", "invalid_value");
        await (await _client.PostAsync("v1/batches", FakeApiHttp.Json($$"""{"input_file_id":"{{id}}","endpoint":"/v1/embeddings","completion_window":"24h"}"""))).AssertInvalidAsync("endpoint", "invalid_value");
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync("v1/batches/batch_none")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync("v1/files/file-none")).StatusCode);
    }

    [Fact]
    public async Task AFileCanBeDeleted()
    {
        var file = await (await UploadAsync(Line("a"))).ReadJsonAsync();
        string id = file.GetProperty("id").GetString()!;
        var deleted = await (await _client.DeleteAsync($"v1/files/{id}")).ReadJsonAsync();
        Assert.True(deleted.GetProperty("deleted").GetBoolean());
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync($"v1/files/{id}")).StatusCode);
    }
}
