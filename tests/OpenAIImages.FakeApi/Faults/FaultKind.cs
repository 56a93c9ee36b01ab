namespace OpenAIImages.FakeApi.Faults;

/// <summary>What an injected fault does to the answer.</summary>
public enum FaultKind
{
    /// <summary>An error answer with <see cref="FaultRule.StatusCode"/> and OpenAI's error body for that status.</summary>
    Status,

    /// <summary>429 with <c>type</c> and <c>code</c> <c>insufficient_quota</c>: retrying will not help.</summary>
    InsufficientQuota,

    /// <summary>400 <c>image_generation_user_error</c> / <c>moderation_blocked</c>: the safety system refused the prompt.</summary>
    ModerationBlocked,

    /// <summary>200 and a chunked body cut after <see cref="FaultRule.BytesBeforeAbort"/> bytes by aborting the connection.</summary>
    ConnectionReset,

    /// <summary>Content-Length of the whole body, only <see cref="FaultRule.BytesBeforeAbort"/> bytes sent, then abort.</summary>
    TruncatedBody,

    /// <summary>200 <c>application/json</c> with a complete HTTP body that is not valid JSON.</summary>
    MalformedJson,

    /// <summary>The normal answer after an extra <see cref="FaultRule.Delay"/>.</summary>
    SlowResponse,

    /// <summary>Streams only: the stream ends cleanly after <see cref="FaultRule.AfterEvents"/> events, with no completed event.</summary>
    StreamCut,

    /// <summary>Streams only: nothing more is sent after <see cref="FaultRule.AfterEvents"/> events, but the connection stays open.</summary>
    StreamStall,

    /// <summary>Streams only: an <c>event: error</c> after <see cref="FaultRule.AfterEvents"/> events, then the stream ends.</summary>
    StreamError,

    /// <summary>
    /// A well-formed answer whose images are broken: each b64_json holds the first BytesBeforeAbort bytes of the
    /// image (an image cut short), or, with BytesBeforeAbort 0, text that is no image at all.
    /// </summary>
    CorruptImage,

    /// <summary>On /v1/responses: the model answers with text only and makes no image (a refusal, a question back).</summary>
    TextAnswer,
}
