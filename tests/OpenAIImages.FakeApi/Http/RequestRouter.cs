using OpenAIImages.FakeApi.Recording;

namespace OpenAIImages.FakeApi.Http;

/// <summary>Where a request went: the URL family, the operation and, for Azure deployments, the deployment name.</summary>
internal readonly record struct Route(ApiShape Shape, ApiOperation Operation, string? Deployment, string? FileName)
{
    public static readonly Route NotFound = new(ApiShape.None, ApiOperation.Unknown, null, null);
    public bool IsApi => Shape is ApiShape.OpenAI or ApiShape.AzureDeployment or ApiShape.AzureV1;
}

/// <summary>
/// Maps paths to routes: <c>POST /v1/images/{op}</c> (OpenAI), <c>POST /openai/deployments/{d}/images/{op}</c>
/// (Azure, generations and edits), <c>POST /openai/v1/images/{op}</c> (Azure v1) and <c>GET /files/{name}</c>.
/// </summary>
internal static class RequestRouter
{
    public static Route Match(string method, string path)
    {
        var segments = path.Split('/', StringSplitOptions.None);
        // A leading '/' gives an empty first segment; anything else (double slashes, trailing slashes) is not a route.
        if (segments.Length < 2 || segments[0].Length != 0 || segments.Skip(1).Any(s => s.Length == 0)) return Route.NotFound;
        var s = segments.Skip(1).ToArray();

        if (method == "GET" && s.Length == 2 && s[0] == "files")
            return new Route(ApiShape.FileDownload, ApiOperation.FileDownload, null, s[1]);
        // The Files and Batch APIs: the segments after /v1/ go to BatchApi, which knows their methods.
        if (s.Length >= 2 && s[0] == "v1" && (s[1] == "files" || s[1] == "batches"))
            return new Route(ApiShape.OpenAI, s[1] == "files" ? ApiOperation.Files : ApiOperation.Batches, null, string.Join('/', s.Skip(1)));
        if (s.Length >= 3 && s[0] == "openai" && s[1] == "v1" && (s[2] == "files" || s[2] == "batches"))
            return new Route(ApiShape.AzureV1, s[2] == "files" ? ApiOperation.Files : ApiOperation.Batches, null, string.Join('/', s.Skip(2)));
        if (method != "POST") return Route.NotFound;

        if (s.Length == 2 && s[0] == "v1" && s[1] == "responses")
            return new Route(ApiShape.OpenAI, ApiOperation.Responses, null, null);
        if (s.Length == 3 && s[0] == "openai" && s[1] == "v1" && s[2] == "responses")
            return new Route(ApiShape.AzureV1, ApiOperation.Responses, null, null);
        if (s.Length == 3 && s[0] == "v1" && s[1] == "images")
            return Api(ApiShape.OpenAI, s[2], null, variationsAllowed: true);
        if (s.Length == 4 && s[0] == "openai" && s[1] == "v1" && s[2] == "images")
            return Api(ApiShape.AzureV1, s[3], null, variationsAllowed: true);
        if (s.Length == 5 && s[0] == "openai" && s[1] == "deployments" && s[3] == "images")
            return Api(ApiShape.AzureDeployment, s[4], Uri.UnescapeDataString(s[2]), variationsAllowed: false);
        return Route.NotFound;
    }

    private static Route Api(ApiShape shape, string operation, string? deployment, bool variationsAllowed) => operation switch
    {
        "generations" => new Route(shape, ApiOperation.Generations, deployment, null),
        "edits" => new Route(shape, ApiOperation.Edits, deployment, null),
        "variations" when variationsAllowed => new Route(shape, ApiOperation.Variations, deployment, null),
        _ => Route.NotFound,
    };
}
