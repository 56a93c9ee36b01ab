using System.Net;
using System.Text.Json;
using OpenAIImages.Engine.Http;
using OpenAIImages.Engine.Requests;
using OpenAIImages.FakeApi;
using OpenAIImages.FakeApi.Faults;
using OpenAIImages.Tests.Support;
using Xunit;

namespace OpenAIImages.Tests.FakeApi;

/// <summary>
/// The FakeApi's /v1/responses is as strict as the spec for the image tool's subset, keeps a store for
/// previous_response_id, and the engine's requests pass it: a generation gives the revised prompt, the response id and
/// the call id; a continuation sends the previous id and no image.
/// </summary>
public sealed class ResponsesTests : IClassFixture<SharedServer>
{
    private readonly FakeOpenAIServer _server;

    public ResponsesTests(SharedServer shared) => _server = shared.Server;

    private const string Tool = """{"type":"image_generation","model":"gpt-image-2","quality":"low"}""";

    private static string Body(string input = "\"A cat\"", string tool = Tool, string extra = "") =>
        $$"""{"model":"gpt-5.5","input":{{input}},"tools":[{{tool}}],"tool_choice":{"type":"image_generation"}{{extra}}}""";

    private Task<HttpResponseMessage> PostAsync(string json)
    {
        var client = FakeApiHttp.Client(_server);
        return client.PostAsync("v1/responses", FakeApiHttp.Json(json));
    }

    [Fact]
    public async Task AGenerationAnswersWithTheCallItsRevisedPromptAndUsage()
    {
        var response = await PostAsync(Body());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var root = await response.ReadJsonAsync();
        Assert.StartsWith("resp_", root.GetProperty("id").GetString());
        var call = root.GetProperty("output")[0];
        Assert.Equal("image_generation_call", call.GetProperty("type").GetString());
        Assert.StartsWith("ig_", call.GetProperty("id").GetString());
        Assert.Equal("generate", call.GetProperty("action").GetString());
        Assert.Contains("A cat", call.GetProperty("revised_prompt").GetString());
        Assert.True(call.GetProperty("result").GetBytesFromBase64().Length > 100);
        Assert.True(root.GetProperty("usage").GetProperty("total_tokens").GetInt32() > 0);
    }

    [Theory]
    [InlineData(",\"temperature\":1", "temperature", "unknown_parameter")]
    [InlineData(",\"stream\":\"yes\"", "stream", "invalid_type")]
    [InlineData(",\"previous_response_id\":\"\"", "previous_response_id", "empty_string")]
    public async Task RefusesUnknownFieldsAndBadTypes(string extra, string param, string code) =>
        await (await PostAsync(Body(extra: extra))).AssertInvalidAsync(param, code);

    [Fact]
    public async Task RefusesAToolFieldTheSpecDoesNotHave() =>
        await (await PostAsync(Body(tool: """{"type":"image_generation","n":2}"""))).AssertInvalidAsync("n", "unknown_parameter");

    [Fact]
    public async Task RefusesADallEModelInTheTool() =>
        await (await PostAsync(Body(tool: """{"type":"image_generation","model":"dall-e-3"}"""))).AssertInvalidAsync("tools[0].model", "invalid_value");

    [Fact]
    public async Task RefusesAnImageModelAsTheMainlineModel()
    {
        string json = Body().Replace("\"gpt-5.5\"", "\"gpt-image-2\"");
        await (await PostAsync(json)).AssertInvalidAsync("model", "invalid_value");
    }

    [Fact]
    public async Task RefusesAnInputImageWithoutDetail()
    {
        string image = Convert.ToBase64String(TestImages.SolidPng(8, 8, 10, 20, 30));
        string input = $$"""[{"role":"user","content":[{"type":"input_text","text":"edit it"},{"type":"input_image","image_url":"data:image/png;base64,{{image}}"}]}]""";
        await (await PostAsync(Body(input: input))).AssertInvalidAsync("input[0].content[1].detail", "missing_required_parameter");
    }

    [Fact]
    public async Task AnUnknownPreviousResponseIsNotFound()
    {
        var response = await PostAsync(Body(extra: ",\"previous_response_id\":\"resp_nope\""));
        var error = await response.ReadErrorAsync();
        Assert.Equal((404, "previous_response_not_found", "previous_response_id"), (error.Status, error.Code, error.Param));
    }

    [Fact]
    public async Task AResponseMadeWithStoreOffCannotBeContinued()
    {
        var first = await (await PostAsync(Body(extra: ",\"store\":false"))).ReadJsonAsync();
        string id = first.GetProperty("id").GetString()!;
        var error = await (await PostAsync(Body(input: "\"now in the rain\"", extra: $",\"previous_response_id\":\"{id}\""))).ReadErrorAsync();
        Assert.Equal((404, "previous_response_not_found"), (error.Status, error.Code));
    }

    [Fact]
    public void TheFakeTakesEveryToolFieldOfTheSpecAndNoOther()
    {
        var spec = SpecSchema.Load("ImageGenTool", "openai-openapi.yaml");
        Assert.Equal(spec.Properties.OrderBy(p => p), OpenAIImages.FakeApi.Responses.ResponsesContract.ToolFields.OrderBy(p => p));
    }

    [Fact]
    public async Task TheEngineGenerationPassesAndCarriesTheResponseIdsAndRevisedPrompt()
    {
        var client = TestClients.For(_server);
        var image = Assert.Single(await client.GenerateAsync(new ImageGenerationRequest { Prompt = "A cat", Quality = "low", ResponsesModel = "gpt-5.5" }));
        Assert.StartsWith("resp_", image.ResponseId);
        Assert.StartsWith("ig_", image.ImageCallId);
        Assert.Equal("generate", image.Action);
        Assert.Equal("gpt-5.5", image.ResponsesModel);
        Assert.Equal("A detailed, well-lit image: A cat", image.RevisedPrompt);
        Assert.NotNull(image.Usage);
        var sent = _server.Requests.Last(r => r.Path == "/v1/responses");
        Assert.Equal(200, sent.ResponseStatus);
        var spec = SpecSchema.Load("ImageGenTool", "openai-openapi.yaml");
        foreach (var field in sent.Json!.Value.GetProperty("tools")[0].EnumerateObject()) Assert.Contains(field.Name, spec.Properties);
        var part = SpecSchema.Load("InputImageContent", "openai-openapi.yaml");
        Assert.Contains("detail", part.Properties);
    }

    [Fact]
    public async Task AContinuationSendsThePreviousIdAndNoImageBytes()
    {
        var client = TestClients.For(_server);
        var first = Assert.Single(await client.GenerateAsync(new ImageGenerationRequest { Prompt = "A cat", Quality = "low", ResponsesModel = "gpt-5.5" }));
        var edit = new ImageEditRequest { Prompt = "now in the rain", Quality = "low", ResponsesModel = "gpt-5.5", PreviousResponseId = first.ResponseId };
        var next = Assert.Single(await client.EditAsync(edit));
        Assert.Equal("edit", next.Action);
        Assert.NotEqual(first.ResponseId, next.ResponseId);
        var sent = _server.Requests.Last(r => r.Path == "/v1/responses").Json!.Value;
        Assert.Equal(first.ResponseId, sent.GetProperty("previous_response_id").GetString());
        Assert.DoesNotContain("input_image", sent.GetProperty("input").GetRawText());
    }

    [Fact]
    public async Task AnEditOfUploadsAndAMaskPasses()
    {
        var client = TestClients.For(_server);
        var png = TestImages.SolidPng(32, 32, 10, 20, 30);
        var mask = OpenAIImages.Tests.Support.TestImages.LeftHalfTransparentMask(32, 32);
        var edit = new ImageEditRequest { Prompt = "add a hat", Quality = "low", ResponsesModel = "gpt-5.5" };
        edit.Images.Add(new ImageInput(png, "a.png"));
        edit.Images.Add(new ImageInput(png, "b.png"));
        edit.Mask = new ImageInput(mask, "mask.png");
        var image = Assert.Single(await client.EditAsync(edit));
        Assert.Equal("edit", image.Action);
        var sent = _server.Requests.Last(r => r.Path == "/v1/responses");
        Assert.Equal(200, sent.ResponseStatus);
        Assert.Equal(2, sent.Json!.Value.GetProperty("input")[0].GetProperty("content").EnumerateArray().Count(c => c.GetProperty("type").GetString() == "input_image"));
        Assert.StartsWith("data:image/png;base64,", sent.Json.Value.GetProperty("tools")[0].GetProperty("input_image_mask").GetProperty("image_url").GetString());
    }

    [Fact]
    public async Task ATextOnlyAnswerIsANamedErrorThatCarriesTheText()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        server.Options.Faults.Add(new FaultRule(FaultKind.TextAnswer));
        var client = TestClients.For(server);
        var error = await Assert.ThrowsAsync<OpenAITextAnswerException>(() => client.GenerateAsync(new ImageGenerationRequest { Prompt = "A cat", ResponsesModel = "gpt-5.5" }));
        Assert.Equal("OpenAIAnsweredWithText", error.ErrorId);
        Assert.Equal(OpenAIImages.FakeApi.Responses.ResponsesContract.TextOnlyAnswer, error.Text);
        Assert.Contains(error.Text, error.Message);
    }

    [Fact]
    public async Task AStreamedGenerationGivesItsPartialImagesAndTheFinalImage()
    {
        var client = TestClients.For(_server);
        var observer = new OpenAIImages.Tests.Streaming.RecordingObserver();
        var images = await client.GenerateAsync(new ImageGenerationRequest { Prompt = "A cat", Quality = "low", ResponsesModel = "gpt-5.5", Stream = true, PartialImages = 2 }, streamObserver: observer);
        var image = Assert.Single(images);
        Assert.StartsWith("resp_", image.ResponseId);
        var partials = observer.Calls.Where(c => c.Kind == "partial").Select(c => c.Progress.Image).ToList();
        Assert.Equal(new int?[] { 0, 1 }, partials.Select(p => p.PartialImageIndex));
        Assert.True(partials.All(p => p.IsPartial));
        Assert.Single(observer.Calls, c => c.Kind == "completed");
        Assert.True(_server.Requests.Last(r => r.Path == "/v1/responses").Streamed);
    }
}
