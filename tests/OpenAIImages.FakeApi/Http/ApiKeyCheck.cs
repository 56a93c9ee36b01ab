using Microsoft.AspNetCore.Http;
using OpenAIImages.FakeApi.Recording;

namespace OpenAIImages.FakeApi.Http;

/// <summary>
/// OpenAI takes <c>Authorization: Bearer KEY</c>; the Azure shapes take the <c>api-key</c> header or a Bearer
/// token. A missing or wrong key gets a 401 with code <c>invalid_api_key</c> in OpenAI's shape.
/// </summary>
internal static class ApiKeyCheck
{
    public static ApiError? Check(HttpRequest request, ApiShape shape, string expectedKey)
    {
        string? bearer = BearerToken(request.Headers.Authorization.ToString());
        string? apiKeyHeader = request.Headers.TryGetValue("api-key", out var v) ? v.ToString() : null;
        bool azure = shape is ApiShape.AzureDeployment or ApiShape.AzureV1;

        string? presented = bearer ?? (azure ? apiKeyHeader : null);
        if (presented is null)
        {
            string how = azure
                ? "in an 'api-key' header or an Authorization header using Bearer auth"
                : "in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY)";
            return new ApiError(401, $"You didn't provide an API key. You need to provide your API key {how}.",
                "invalid_request_error", null, ErrorCodes.InvalidApiKey);
        }
        bool ok = string.Equals(presented, expectedKey, StringComparison.Ordinal)
            || (azure && bearer is not null && string.Equals(apiKeyHeader, expectedKey, StringComparison.Ordinal));
        return ok ? null : new ApiError(401, $"Incorrect API key provided: {Mask(presented)}.",
            "invalid_request_error", null, ErrorCodes.InvalidApiKey);
    }

    private static string? BearerToken(string authorization)
    {
        const string Scheme = "Bearer ";
        return authorization.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) ? authorization[Scheme.Length..].Trim() : null;
    }

    /// <summary>Shows only the ends of a key, as the API does, so logs never hold a whole one.</summary>
    private static string Mask(string key) =>
        key.Length <= 6 ? new string('*', key.Length) : key[..3] + new string('*', key.Length - 7) + key[^4..];
}
