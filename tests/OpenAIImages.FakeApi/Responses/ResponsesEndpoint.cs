using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using OpenAIImages.Engine.Imaging;
using OpenAIImages.FakeApi.Http;
using OpenAIImages.FakeApi.Imaging;
using OpenAIImages.FakeApi.Models;
using OpenAIImages.FakeApi.Recording;
using OpenAIImages.FakeApi.Validation;

namespace OpenAIImages.FakeApi.Responses;

/// <summary>
/// POST /v1/responses for the subset the image tool needs, strict as the spec (CreateResponse, ImageGenTool,
/// InputImageContent): unknown fields and wrong types are refused, the one tool must be image_generation, and the
/// tool's options follow the image model's rules. Answers are kept in a store, so previous_response_id finds the
/// earlier image; an unknown id, or one whose response was made with store false, gets the API's 404.
/// </summary>
internal sealed class ResponsesEndpoint
{
    private static readonly IReadOnlySet<string> Allowed = new HashSet<string>
    {
        "model", "input", "tools", "tool_choice", "previous_response_id", "stream", "store", "instructions", "user", "parallel_tool_calls",
    };

    private static IReadOnlySet<string> ToolAllowed => ResponsesContract.ToolFields;

    private static readonly string[] QualityEnum = { "low", "medium", "high", "auto" };
    private static readonly string[] DetailEnum = { "low", "high", "auto", "original" };
    private static readonly string[] ActionEnum = { "generate", "edit", "auto" };
    private static readonly string[] RoleEnum = { "user", "system", "developer", "assistant" };

    private readonly ConcurrentDictionary<string, StoredResponse> _store = new(StringComparer.Ordinal);

    /// <summary>What a later previous_response_id finds: the image the response made, if it was stored.</summary>
    private sealed record StoredResponse(bool Stored, byte[]? Image, string? CallId);

    /// <summary>A request that passed validation.</summary>
    internal sealed record ResponsesJob(string MainlineModel, ImageJob Image, string Action, string? PreviousResponseId, bool Store, bool Stream, IReadOnlyList<string> InputImageSources);

    public ResponsesJob Validate(JsonElement? json)
    {
        if (json is not { } root) throw new ApiErrorException(ApiError.Invalid("Invalid Content-Type header: this endpoint expects application/json.", null, ErrorCodes.UnsupportedContentType));
        var fields = RequestFields.FromJson(root);
        fields.RejectUnknown(Allowed);
        string mainline = fields.String("model") ?? throw CommonRules.Invalid("Missing required parameter: 'model'.", "model", ErrorCodes.MissingRequiredParameter);
        if (mainline.Length == 0) throw CommonRules.Invalid("Invalid 'model': empty string.", "model", ErrorCodes.EmptyString);
        if (ModelTable.IsKnown(mainline))
            throw CommonRules.Invalid($"The model '{mainline}' is an image model and cannot be used with the Responses API; name a mainline model, and the image model in the image_generation tool.", "model", ErrorCodes.InvalidValue);
        fields.String("instructions");
        fields.String("user");
        fields.Bool("parallel_tool_calls");
        bool stream = fields.Bool("stream") ?? false;
        bool store = fields.Bool("store") ?? true;
        string? previous = fields.String("previous_response_id");
        if (previous is not null && previous.Length == 0) throw CommonRules.Invalid("Invalid 'previous_response_id': empty string.", "previous_response_id", ErrorCodes.EmptyString);

        var tool = Tool(fields);
        ToolChoice(fields);
        var (prompt, images) = Input(fields);
        byte[]? previousImage = null;
        if (previous is not null)
        {
            if (!_store.TryGetValue(previous, out var stored) || !stored.Stored)
                throw new ApiErrorException(new ApiError(404, $"Previous response with id '{previous}' not found.", "invalid_request_error", "previous_response_id", "previous_response_not_found"));
            previousImage = stored.Image;
        }

        var toolFields = RequestFields.FromJson(tool);
        toolFields.RejectUnknown(ToolAllowed);
        string modelName = toolFields.String("model") ?? "gpt-image-1";
        var model = CommonRules.Model(modelName, ApiOperation.Generations);
        if (!model.IsGptImage)
            throw CommonRules.Invalid($"Invalid value: '{modelName}'. The image_generation tool takes the GPT image models only.", "tools[0].model", ErrorCodes.InvalidValue);
        var (width, height) = CommonRules.Size(toolFields, model);
        string quality = CommonRules.Quality(toolFields, model, QualityEnum);
        var (format, background) = CommonRules.OutputOptions(toolFields, model, hasModeration: true);
        string? fidelity = CommonRules.InputFidelity(toolFields, model);
        int partials = CommonRules.IntInRange(toolFields, "partial_images", 0, 3) ?? 0;
        string action = CommonRules.Enum(toolFields, "action", ActionEnum) ?? "auto";
        InputImage? mask = toolFields.Raw("input_image_mask") is { } maskElement ? Mask(maskElement, images.FirstOrDefault()) : null;

        bool editing = images.Count > 0 || previousImage is not null;
        if (action == "edit" && !editing)
            throw CommonRules.Invalid("Invalid value: 'edit'. The image_generation tool was asked to edit, and there is no image to edit: give an input_image or a previous_response_id.", "tools[0].action", ErrorCodes.InvalidValue);
        if (mask is not null && !editing)
            throw CommonRules.Invalid("Invalid 'input_image_mask': a mask needs an image to edit.", "tools[0].input_image_mask", ErrorCodes.InvalidValue);
        string taken = action == "auto" ? (editing ? "edit" : "generate") : action;

        var allImages = images.ToList();
        if (previousImage is not null && images.Count == 0) allImages.Add(new InputImage("previous_response_id", previousImage, ImageInfo.TryRead(previousImage), null));
        var job = new ImageJob
        {
            Operation = taken == "edit" ? ApiOperation.Edits : ApiOperation.Generations,
            Model = model,
            ModelName = modelName,
            Prompt = prompt,
            N = 1,
            Width = width,
            Height = height,
            Quality = quality,
            ReturnUrl = false,
            OutputFormat = format,
            Background = background,
            Stream = stream,
            PartialImages = stream ? partials : 0,
            InputFidelity = fidelity,
            Images = allImages,
            Mask = mask,
        };
        return new ResponsesJob(mainline, job, taken, previous, store, stream, images.Select(i => i.Reference ?? i.Field).ToList());
    }

    private static JsonElement Tool(RequestFields fields)
    {
        if (fields.Raw("tools") is not { } tools)
            throw CommonRules.Invalid("Missing required parameter: 'tools'. Give the image_generation tool.", "tools", ErrorCodes.MissingRequiredParameter);
        if (tools.ValueKind != JsonValueKind.Array)
            throw CommonRules.Invalid($"Invalid type for 'tools': expected an array, but got {RequestFields.Describe(tools.ValueKind)} instead.", "tools", ErrorCodes.InvalidType);
        if (tools.GetArrayLength() != 1)
            throw CommonRules.Invalid("Invalid 'tools': this server takes exactly one tool, image_generation.", "tools", ErrorCodes.InvalidValue);
        var tool = tools[0];
        if (tool.ValueKind != JsonValueKind.Object)
            throw CommonRules.Invalid($"Invalid type for 'tools[0]': expected an object, but got {RequestFields.Describe(tool.ValueKind)} instead.", "tools[0]", ErrorCodes.InvalidType);
        if (!tool.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String || type.GetString() != "image_generation")
            throw CommonRules.Invalid("Invalid 'tools[0].type': this server takes the image_generation tool only.", "tools[0].type", ErrorCodes.InvalidValue);
        return tool;
    }

    private static void ToolChoice(RequestFields fields)
    {
        if (fields.Raw("tool_choice") is not { } choice) return;
        if (choice.ValueKind == JsonValueKind.String)
        {
            if (choice.GetString() is "auto" or "required") return;
            throw CommonRules.Invalid($"Invalid value: '{choice.GetString()}'. Supported values are: 'auto', 'required' and a hosted tool.", "tool_choice", ErrorCodes.InvalidValue);
        }
        if (choice.ValueKind != JsonValueKind.Object)
            throw CommonRules.Invalid($"Invalid type for 'tool_choice': expected a string or an object, but got {RequestFields.Describe(choice.ValueKind)} instead.", "tool_choice", ErrorCodes.InvalidType);
        foreach (var property in choice.EnumerateObject())
            if (property.Name != "type") throw CommonRules.Invalid($"Unknown parameter: 'tool_choice.{property.Name}'.", $"tool_choice.{property.Name}", ErrorCodes.UnknownParameter);
        if (!choice.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String || type.GetString() != "image_generation")
            throw CommonRules.Invalid("Invalid 'tool_choice.type': this server has the image_generation tool only.", "tool_choice.type", ErrorCodes.InvalidValue);
    }

    /// <summary>The prompt (the input texts of the user's messages) and the input images, checked like uploads.</summary>
    private static (string Prompt, List<InputImage> Images) Input(RequestFields fields)
    {
        if (fields.Raw("input") is not { } input)
            throw CommonRules.Invalid("Missing required parameter: 'input'.", "input", ErrorCodes.MissingRequiredParameter);
        var images = new List<InputImage>();
        if (input.ValueKind == JsonValueKind.String) return (NonEmpty(input.GetString()!, "input"), images);
        if (input.ValueKind != JsonValueKind.Array)
            throw CommonRules.Invalid($"Invalid type for 'input': expected a string or an array, but got {RequestFields.Describe(input.ValueKind)} instead.", "input", ErrorCodes.InvalidType);
        var texts = new List<string>();
        int index = 0;
        foreach (var item in input.EnumerateArray())
        {
            string path = $"input[{index++}]";
            if (item.ValueKind != JsonValueKind.Object)
                throw CommonRules.Invalid($"Invalid type for '{path}': expected an object, but got {RequestFields.Describe(item.ValueKind)} instead.", path, ErrorCodes.InvalidType);
            var message = RequestFields.FromJson(item);
            message.RejectUnknown(new HashSet<string> { "type", "role", "content" });
            if (message.String("type") is { } kind && kind != "message")
                throw CommonRules.Invalid($"Invalid value: '{kind}'. This server takes input messages only.", $"{path}.type", ErrorCodes.InvalidValue);
            string role = CommonRules.Enum(message, "role", RoleEnum) ?? throw CommonRules.Invalid($"Missing required parameter: '{path}.role'.", $"{path}.role", ErrorCodes.MissingRequiredParameter);
            if (message.Raw("content") is not { } content)
                throw CommonRules.Invalid($"Missing required parameter: '{path}.content'.", $"{path}.content", ErrorCodes.MissingRequiredParameter);
            if (content.ValueKind == JsonValueKind.String)
            {
                if (role == "user") texts.Add(content.GetString()!);
                continue;
            }
            if (content.ValueKind != JsonValueKind.Array)
                throw CommonRules.Invalid($"Invalid type for '{path}.content': expected a string or an array, but got {RequestFields.Describe(content.ValueKind)} instead.", $"{path}.content", ErrorCodes.InvalidType);
            int part = 0;
            foreach (var piece in content.EnumerateArray())
            {
                string piecePath = $"{path}.content[{part++}]";
                if (piece.ValueKind != JsonValueKind.Object)
                    throw CommonRules.Invalid($"Invalid type for '{piecePath}': expected an object, but got {RequestFields.Describe(piece.ValueKind)} instead.", piecePath, ErrorCodes.InvalidType);
                var pieceFields = RequestFields.FromJson(piece);
                switch (pieceFields.String("type"))
                {
                    case "input_text":
                        pieceFields.RejectUnknown(new HashSet<string> { "type", "text" });
                        texts.Add(pieceFields.String("text") ?? throw CommonRules.Invalid($"Missing required parameter: '{piecePath}.text'.", $"{piecePath}.text", ErrorCodes.MissingRequiredParameter));
                        break;
                    case "input_image":
                        pieceFields.RejectUnknown(new HashSet<string> { "type", "image_url", "file_id", "detail" });
                        if (CommonRules.Enum(pieceFields, "detail", DetailEnum) is null)
                            throw CommonRules.Invalid($"Missing required parameter: '{piecePath}.detail'.", $"{piecePath}.detail", ErrorCodes.MissingRequiredParameter);
                        images.Add(ImageReference(pieceFields, piecePath));
                        break;
                    default:
                        throw CommonRules.Invalid($"Invalid '{piecePath}.type': expected 'input_text' or 'input_image'.", $"{piecePath}.type", ErrorCodes.InvalidValue);
                }
            }
        }
        return (NonEmpty(string.Join("\n", texts), "input"), images);
    }

    private static string NonEmpty(string text, string param) =>
        string.IsNullOrWhiteSpace(text) ? throw CommonRules.Invalid($"Invalid '{param}': no text to act on.", param, ErrorCodes.EmptyString) : text;

    private static InputImage ImageReference(RequestFields fields, string path)
    {
        string? url = fields.String("image_url"), fileId = fields.String("file_id");
        if ((url is null) == (fileId is null))
            throw CommonRules.Invalid($"Invalid '{path}': provide exactly one of 'image_url' or 'file_id'.", path, ErrorCodes.InvalidValue);
        if (fileId is not null) return new InputImage(path, null, null, fileId);
        if (url!.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
        {
            var (mediaType, data) = JsonEditValidator.DataUrl(url, $"{path}.image_url");
            return InputImageRules.Image(path, mediaType, data, ModelTable.Find("gpt-image-2")) with { Reference = null };
        }
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            throw CommonRules.Invalid($"Invalid '{path}.image_url': expected a fully qualified http(s) URL or a base64 data URL.", $"{path}.image_url", ErrorCodes.InvalidValue);
        return new InputImage(path, null, null, url);
    }

    private static InputImage Mask(JsonElement mask, InputImage? first)
    {
        const string path = "tools[0].input_image_mask";
        if (mask.ValueKind != JsonValueKind.Object)
            throw CommonRules.Invalid($"Invalid type for '{path}': expected an object, but got {RequestFields.Describe(mask.ValueKind)} instead.", path, ErrorCodes.InvalidType);
        var fields = RequestFields.FromJson(mask);
        fields.RejectUnknown(new HashSet<string> { "image_url", "file_id" });
        string? url = fields.String("image_url"), fileId = fields.String("file_id");
        if ((url is null) == (fileId is null))
            throw CommonRules.Invalid($"Invalid '{path}': provide exactly one of 'image_url' or 'file_id'.", path, ErrorCodes.InvalidValue);
        if (fileId is not null) return new InputImage(path, null, null, fileId);
        if (!url!.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
            throw CommonRules.Invalid($"Invalid '{path}.image_url': expected a base64 data URL.", $"{path}.image_url", ErrorCodes.InvalidValue);
        var (mediaType, data) = JsonEditValidator.DataUrl(url, $"{path}.image_url");
        return InputImageRules.Mask(path, mediaType, data, first?.Data is null ? null : first) with { Reference = null };
    }

    /// <summary>The answer to a validated request: a Response with the tool call (and a short message), stored for later.</summary>
    public byte[] Answer(ResponsesJob job, bool textOnly, long created, out string responseId)
    {
        responseId = "resp_" + Hex(24);
        string messageId = "msg_" + Hex(24);
        byte[]? image = null;
        string? callId = null;
        var buffer = new MemoryStream();
        using (var writer = JsonOutput.Writer(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("id", responseId);
            writer.WriteString("object", "response");
            writer.WriteNumber("created_at", created);
            writer.WriteString("status", "completed");
            writer.WriteString("model", job.MainlineModel);
            if (job.PreviousResponseId is null) writer.WriteNull("previous_response_id");
            else writer.WriteString("previous_response_id", job.PreviousResponseId);
            writer.WriteBoolean("store", job.Store);
            writer.WriteStartArray("output");
            if (!textOnly)
            {
                callId = "ig_" + Hex(24);
                image = OutputEncoder.Encode(job.Image.OutputFormat, job.Image.Width, job.Image.Height, JobRenderer.Render(job.Image, 0));
                WriteCall(writer, job, callId, image);
            }
            writer.WriteStartObject();
            writer.WriteString("id", messageId);
            writer.WriteString("type", "message");
            writer.WriteString("status", "completed");
            writer.WriteString("role", "assistant");
            writer.WriteStartArray("content");
            writer.WriteStartObject();
            writer.WriteString("type", "output_text");
            writer.WriteString("text", textOnly ? TextOnlyAnswer : "Here is the image.");
            writer.WriteStartArray("annotations");
            writer.WriteEndArray();
            writer.WriteEndObject();
            writer.WriteEndArray();
            writer.WriteEndObject();
            writer.WriteEndArray();
            var (text, imageTokens) = UsageCalculator.Input(job.Image);
            int output = textOnly ? 12 : UsageCalculator.OutputPerImage(job.Image);
            writer.WriteStartObject("usage");
            writer.WriteNumber("input_tokens", text + imageTokens);
            writer.WriteStartObject("input_tokens_details");
            writer.WriteNumber("cached_tokens", 0);
            writer.WriteEndObject();
            writer.WriteNumber("output_tokens", output);
            writer.WriteStartObject("output_tokens_details");
            writer.WriteNumber("reasoning_tokens", 0);
            writer.WriteEndObject();
            writer.WriteNumber("total_tokens", text + imageTokens + output);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
        _store[responseId] = new StoredResponse(job.Store, image, callId);
        return buffer.ToArray();
    }

    private const string TextOnlyAnswer = ResponsesContract.TextOnlyAnswer;

    /// <summary>The image_generation_call output item, with the revised prompt the seeds' examples show.</summary>
    internal static void WriteCall(Utf8JsonWriter writer, ResponsesJob job, string callId, byte[]? image)
    {
        writer.WriteStartObject();
        writer.WriteString("id", callId);
        writer.WriteString("type", "image_generation_call");
        writer.WriteString("status", image is null ? "in_progress" : "completed");
        writer.WriteString("action", job.Action);
        ResponseJson.WriteSettings(writer, job.Image);
        writer.WriteString("revised_prompt", RevisedPrompt(job.Image.Prompt));
        if (image is null) writer.WriteNull("result");
        else writer.WriteBase64String("result", image);
        writer.WriteEndObject();
    }

    public static string RevisedPrompt(string prompt) => "A detailed, well-lit image: " + prompt;

    private static string Hex(int length) => Convert.ToHexString(RandomNumberGenerator.GetBytes(length / 2)).ToLowerInvariant();
}

/// <summary>What tests may read of the fake's /v1/responses: the tool fields it takes, and its text-only answer.</summary>
public static class ResponsesContract
{
    /// <summary>The properties of ImageGenTool in the spec, and no other.</summary>
    public static readonly IReadOnlySet<string> ToolFields = new HashSet<string>
    {
        "type", "model", "quality", "size", "output_format", "output_compression", "moderation", "background",
        "input_fidelity", "input_image_mask", "partial_images", "action",
    };

    /// <summary>What the model says when it answers with text and makes no image (the TextAnswer fault).</summary>
    public const string TextOnlyAnswer = "I can't make that image. Could you tell me more about what you want to see?";
}
