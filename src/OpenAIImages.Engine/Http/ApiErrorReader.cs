using System;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Text.Json;

namespace OpenAIImages.Engine.Http
{
    /// <summary>Turns an error response into an <see cref="OpenAIApiException"/>, whatever shape its body has.</summary>
    internal static class ApiErrorReader
    {
        private const int MaxQuotedBodyChars = 500;

        public static OpenAIApiException Read(HttpResponseMessage response, ReadOnlySpan<byte> body)
        {
            int status = (int)response.StatusCode;
            string? requestId = RequestIdOf(response);
            TimeSpan? retryAfter = RetryAfterOf(response, DateTimeOffset.UtcNow);
            string? type = null, code = null, param = null, message = null;
            try
            {
                var reader = new Utf8JsonReader(body);
                using var document = JsonDocument.ParseValue(ref reader);
                var root = document.RootElement;
                if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("error", out var error))
                {
                    if (error.ValueKind == JsonValueKind.Object)
                    {
                        message = Text(error, "message");
                        type = Text(error, "type");
                        code = Text(error, "code");
                        param = Text(error, "param");
                    }
                    else
                    {
                        message = Text(root, "error");
                    }
                }
                else if (root.ValueKind == JsonValueKind.Object)
                {
                    message = Text(root, "message");
                }
            }
            catch (JsonException)
            {
                message = QuoteBody(body);
            }
            if (string.IsNullOrWhiteSpace(message))
                message = response.ReasonPhrase ?? "The server gave no reason.";
            bool? shouldRetry = response.Headers.TryGetValues("x-should-retry", out var should)
                ? string.Equals(should.FirstOrDefault(), "true", StringComparison.OrdinalIgnoreCase) : (bool?)null;
            return new OpenAIApiException(status, type, code, param, message!, requestId, retryAfter) { ShouldRetry = shouldRetry };
        }

        private static string? Text(JsonElement element, string name)
        {
            if (!element.TryGetProperty(name, out var value)) return null;
            return value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Number => value.GetRawText(),
                JsonValueKind.True => "true",
                JsonValueKind.False => "false",
                _ => null,
            };
        }

        private static string QuoteBody(ReadOnlySpan<byte> body)
        {
            string text = Encoding.UTF8.GetString(body.Slice(0, Math.Min(body.Length, MaxQuotedBodyChars * 4)).ToArray()).Trim();
            if (text.Length > MaxQuotedBodyChars) text = text.Substring(0, MaxQuotedBodyChars) + "...";
            return text;
        }

        public static string? RequestIdOf(HttpResponseMessage response) =>
            response.Headers.TryGetValues("x-request-id", out var values) ? values.FirstOrDefault()
            : response.Headers.TryGetValues("apim-request-id", out var azure) ? azure.FirstOrDefault() : null;

        /// <summary>The wait the server asked for: retry-after-ms, then retry-after in seconds or as an HTTP date.</summary>
        public static TimeSpan? RetryAfterOf(HttpResponseMessage response, DateTimeOffset now)
        {
            if (response.Headers.TryGetValues("retry-after-ms", out var ms)
                && double.TryParse(ms.FirstOrDefault(), NumberStyles.Float, CultureInfo.InvariantCulture, out double milliseconds) && milliseconds >= 0)
                return Wait(milliseconds);
            if (response.Headers.TryGetValues("retry-after", out var raw))
            {
                string? value = raw.FirstOrDefault();
                if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds) && seconds >= 0)
                    return Wait(seconds * 1000);
                if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date))
                    return date > now ? date - now : TimeSpan.Zero;
            }
            return null;
        }

        /// <summary>
        /// A wait beyond what TimeSpan holds (an absurd or infinite header) is the longest wait, which the retry
        /// policy declines: TimeSpan.FromMilliseconds would throw OverflowException instead of the API's error.
        /// </summary>
        private static TimeSpan Wait(double milliseconds) =>
            milliseconds < TimeSpan.MaxValue.TotalMilliseconds - 1 ? TimeSpan.FromMilliseconds(milliseconds) : TimeSpan.MaxValue;
    }
}
