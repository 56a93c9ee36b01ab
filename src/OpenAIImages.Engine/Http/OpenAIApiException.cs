using System;
using System.Globalization;
using System.Text;

namespace OpenAIImages.Engine.Http
{
    /// <summary>
    /// The server refused or failed a request. Carries what OpenAI's error body says (type, code, param, message),
    /// the HTTP status and the request id to quote to support.
    /// </summary>
    public sealed class OpenAIApiException : OpenAIImagesException
    {
        public int StatusCode { get; }
        public string? ErrorType { get; }
        public string? Code { get; }
        public string? Param { get; }

        /// <summary>The server's own words.</summary>
        public string ApiMessage { get; }
        public string? RequestId { get; }

        /// <summary>How long the server asked us to wait before trying again, if it said.</summary>
        public TimeSpan? RetryAfter { get; }

        /// <summary>The server's x-should-retry header, when it sent one.</summary>
        public bool? ShouldRetry { get; init; }

        /// <summary>Who answered, as messages name it: "OpenAI", "Azure OpenAI", or "The server at HOST".</summary>
        public string Party { get; }

        /// <summary>What to do about it, when the module can tell more than the server's own words.</summary>
        public string? Hint { get; }

        public OpenAIApiException(int statusCode, string? errorType, string? code, string? param, string apiMessage, string? requestId, TimeSpan? retryAfter = null, string? party = null, string? hint = null)
            : base(ErrorIdFor(statusCode, errorType, code), Describe(party ?? "OpenAI", statusCode, errorType, code, param, apiMessage, requestId, hint))
        {
            Party = party ?? "OpenAI";
            Hint = hint;
            StatusCode = statusCode;
            ErrorType = errorType;
            Code = code;
            Param = param;
            ApiMessage = apiMessage;
            RequestId = requestId;
            RetryAfter = retryAfter;
        }

        /// <summary>A PascalCase id naming the condition, for PowerShell's FullyQualifiedErrorId.</summary>
        public static string ErrorIdFor(int status, string? type, string? code)
        {
            if (code == "moderation_blocked" || code == "content_policy_violation" || code == "contentFilter" || code == "content_filter") return ErrorIds.OpenAIContentBlocked;
            if (code == "insufficient_quota") return ErrorIds.OpenAIQuotaExceeded;
            if (code == "model_not_found") return ErrorIds.OpenAIModelNotFound;
            return status switch
            {
                400 => ErrorIds.OpenAIBadRequest,
                401 => ErrorIds.OpenAIAuthenticationFailed,
                403 => ErrorIds.OpenAIPermissionDenied,
                404 => ErrorIds.OpenAINotFound,
                408 => ErrorIds.OpenAIRequestTimeout,
                409 => ErrorIds.OpenAIConflict,
                413 => ErrorIds.OpenAIRequestTooLarge,
                422 => ErrorIds.OpenAIUnprocessableRequest,
                429 => ErrorIds.OpenAIRateLimited,
                _ when status >= 500 => ErrorIds.OpenAIServerError,
                _ => ErrorIds.OpenAIRequestFailed,
            };
        }

        /// <summary>The same error, said of <paramref name="party"/>, with <paramref name="hint"/> (null keeps the present one).</summary>
        public OpenAIApiException With(string party, string? hint) =>
            new OpenAIApiException(StatusCode, ErrorType, Code, Param, ApiMessage, RequestId, RetryAfter, party, hint ?? Hint) { ShouldRetry = ShouldRetry };

        private static string Describe(string party, int status, string? type, string? code, string? param, string message, string? requestId, string? hint)
        {
            var text = new StringBuilder();
            text.Append(party).Append(" returned ").Append(status.ToString(CultureInfo.InvariantCulture));
            var details = new StringBuilder();
            if (!string.IsNullOrEmpty(type)) details.Append(type);
            if (!string.IsNullOrEmpty(code)) details.Append(details.Length > 0 ? ", " : "").Append("code ").Append(code);
            if (!string.IsNullOrEmpty(param)) details.Append(details.Length > 0 ? ", " : "").Append("param ").Append(param);
            if (details.Length > 0) text.Append(" (").Append(details).Append(')');
            text.Append(": ").Append(string.IsNullOrWhiteSpace(message) ? "no message" : message.Trim());
            if (!string.IsNullOrEmpty(requestId)) text.Append(" Request id: ").Append(requestId).Append('.');
            if (!string.IsNullOrEmpty(hint)) text.Append(' ').Append(hint);
            return text.ToString();
        }
    }
}
