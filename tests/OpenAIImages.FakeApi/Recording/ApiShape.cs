namespace OpenAIImages.FakeApi.Recording;

/// <summary>Which URL family a request used, so tests can prove the client built the right one.</summary>
public enum ApiShape
{
    /// <summary>Not an API route (an unknown path).</summary>
    None = 0,

    /// <summary><c>/v1/images/...</c> with <c>Authorization: Bearer</c>.</summary>
    OpenAI,

    /// <summary><c>/openai/deployments/{deployment}/images/...?api-version=...</c>.</summary>
    AzureDeployment,

    /// <summary><c>/openai/v1/images/...</c>.</summary>
    AzureV1,

    /// <summary><c>GET /files/{id}</c>: downloading an image the fake returned as a URL.</summary>
    FileDownload,
}

/// <summary>Which operation a request asked for.</summary>
public enum ApiOperation
{
    Unknown = 0,
    Generations,
    Edits,
    Variations,
    FileDownload,
    Responses,
    Files,
    Batches,
}
