using OpenAIImages.FakeApi.Http;
using OpenAIImages.FakeApi.Recording;

namespace OpenAIImages.FakeApi.Faults;

/// <summary>Picks the fault for a request and builds the error answers that error faults send.</summary>
internal static class FaultInjector
{
    /// <summary>
    /// Offers the request to every rule of the wanted family (stream kinds or the rest) so each keeps its own count;
    /// the first rule that fires wins.
    /// </summary>
    public static FaultRule? Pick(FaultRuleList rules, ApiOperation operation, string path, bool streamKinds)
    {
        FaultRule? chosen = null;
        foreach (var rule in rules.Snapshot())
        {
            if (rule.IsStreamKind != streamKinds) continue;
            if (rule.Offer(operation, path) && chosen is null) chosen = rule;
        }
        return chosen;
    }

    /// <summary>The error answer of an error-kind rule, in the shape the real API uses for that condition.</summary>
    public static ApiError ErrorFor(FaultRule rule)
    {
        var error = rule.Kind switch
        {
            FaultKind.InsufficientQuota => new ApiError(429,
                "You exceeded your current quota, please check your plan and billing details.",
                "insufficient_quota", null, ErrorCodes.InsufficientQuota),
            FaultKind.ModerationBlocked => new ApiError(400,
                "Your request was rejected by the safety system. If you believe this is an error, contact us and include the request ID.",
                "image_generation_user_error", null, ErrorCodes.ModerationBlocked),
            _ => ForStatus(rule.StatusCode),
        };
        if (rule.Message is not null)
            error = new ApiError(error.Status, rule.Message, error.Type, error.Param, error.Code);

        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (rule.RetryAfterSeconds is { } seconds) headers["Retry-After"] = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (rule.RetryAfterMilliseconds is { } ms) headers["retry-after-ms"] = ms.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (rule.ShouldRetry is { } retry) headers["x-should-retry"] = retry ? "true" : "false";
        return headers.Count == 0 ? error : error.WithHeaders(headers);
    }

    private static ApiError ForStatus(int status) => status switch
    {
        400 => new ApiError(400, "The request was invalid (injected fault).", "invalid_request_error", null, null),
        401 => new ApiError(401, "Incorrect API key provided.", "invalid_request_error", null, ErrorCodes.InvalidApiKey),
        403 => new ApiError(403, "You are not allowed to access this resource.", "invalid_request_error", null, "permission_denied"),
        404 => new ApiError(404, "The resource was not found.", "invalid_request_error", null, "not_found"),
        408 => new ApiError(408, "Request timed out.", "timeout_error", null, "timeout"),
        409 => new ApiError(409, "The request conflicted with another request in progress.", "invalid_request_error", null, "conflict"),
        429 => new ApiError(429, "Rate limit reached for requests. Please try again later.", "requests", null, ErrorCodes.RateLimitExceeded),
        500 => new ApiError(500, "The server had an error while processing your request. Sorry about that!", "server_error", null, null),
        502 => new ApiError(502, "Bad gateway.", "server_error", null, null),
        503 => new ApiError(503, "The server is overloaded or not ready yet.", "server_error", null, null),
        504 => new ApiError(504, "Gateway timeout.", "server_error", null, null),
        _ => new ApiError(status, $"Injected HTTP {status}.", status >= 500 ? "server_error" : "invalid_request_error", null, null),
    };
}
