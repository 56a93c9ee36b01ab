using System;
using System.IO;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading;
using System.Threading.Tasks;

namespace OpenAIImages.Engine.Http
{
    /// <summary>
    /// Sends one API request through the shared pipeline: credentials and identification headers, the per-request
    /// deadline, cancellation that aborts at once, and mapping of every failure to this module's exceptions.
    /// </summary>
    internal sealed class ApiRequestSender
    {
        /// <summary>The largest response read into memory: n=10 high-quality images in base64 stay well below it.</summary>
        internal const long MaxResponseBytes = 512L * 1024 * 1024;

        private readonly OpenAIConnection _connection;

        public ApiRequestSender(OpenAIConnection connection)
        {
            _connection = connection;
        }

        public OpenAIConnection Connection => _connection;

        /// <summary>Sends and reads the whole body of a successful JSON response; the caller disposes the result.</summary>
        public async Task<ApiResponse> SendAsync(Uri uri, Func<HttpContent> content, IOperationObserver observer, CancellationToken cancellationToken)
        {
            using var deadline = new CancellationTokenSource(_connection.Timeout);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
            HttpResponseMessage? response = null;
            string? requestId = null;
            try
            {
                using var request = CreateRequest(uri, content());
                observer.Verbose($"POST {uri.GetLeftPart(UriPartial.Path)}");
                var started = DateTimeOffset.UtcNow;
                response = await HttpClientProvider.Get(_connection.Proxy).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
                requestId = ApiErrorReader.RequestIdOf(response);
                observer.Verbose($"HTTP {(int)response.StatusCode} after {(DateTimeOffset.UtcNow - started).TotalSeconds:0.0} s, request id {requestId ?? "(none)"}");

                // On .NET Framework a pending read does not always see the token; disposing the response ends it.
                using (linked.Token.Register(state => ((HttpResponseMessage)state!).Dispose(), response))
                {
                    using var stream = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
                    var body = await ResponseBody.ReadAsync(stream, response.Content.Headers.ContentLength, MaxResponseBytes, linked.Token).ConfigureAwait(false);
                    if (!response.IsSuccessStatusCode)
                    {
                        using (body) throw ApiErrorReader.Read(response, body.Span);
                    }
                    var result = new ApiResponse(body, requestId, (int)response.StatusCode);
                    response.Dispose();
                    response = null;
                    return result;
                }
            }
            catch (Exception e) when (e is OperationCanceledException || e is ObjectDisposedException || e is IOException || e is InvalidDataException || e is HttpRequestException)
            {
                response?.Dispose();
                if (cancellationToken.IsCancellationRequested) throw new OperationCanceledException(cancellationToken);
                if (deadline.IsCancellationRequested)
                    throw new OpenAITransportException(OpenAITransportException.TimedOut,
                        $"The request to {uri.GetLeftPart(UriPartial.Path)} took longer than {_connection.Timeout.TotalSeconds:0} seconds. Raise -TimeoutSec, or try a lower -Quality or smaller -Size.", requestId, e);
                if (e is InvalidDataException)
                    throw new OpenAITransportException(OpenAITransportException.ResponseInvalid, $"The response from {uri.GetLeftPart(UriPartial.Path)} was cut short: {e.Message}", requestId, e);
                throw new OpenAITransportException(OpenAITransportException.ConnectionFailed,
                    $"The request to {uri.GetLeftPart(UriPartial.Path)} failed: {Innermost(e).Message}", requestId, e);
            }
            catch
            {
                response?.Dispose();
                throw;
            }
        }

        internal HttpRequestMessage CreateRequest(Uri uri, HttpContent content)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = content };
            var credential = _connection.Credential;
            if (credential.Kind == CredentialKind.AzureApiKey) request.Headers.TryAddWithoutValidation("api-key", credential.Reveal());
            else request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", credential.Reveal());
            if (_connection.Organization != null) request.Headers.TryAddWithoutValidation("OpenAI-Organization", _connection.Organization);
            if (_connection.Project != null) request.Headers.TryAddWithoutValidation("OpenAI-Project", _connection.Project);
            request.Headers.TryAddWithoutValidation("User-Agent", _connection.UserAgent);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            return request;
        }

        private static Exception Innermost(Exception e)
        {
            while (e.InnerException != null) e = e.InnerException;
            return e;
        }
    }

    /// <summary>A successful response's body (pooled) and request id.</summary>
    internal sealed class ApiResponse : IDisposable
    {
        public ResponseBody Body { get; }
        public string? RequestId { get; }
        public int StatusCode { get; }

        public ApiResponse(ResponseBody body, string? requestId, int statusCode)
        {
            Body = body;
            RequestId = requestId;
            StatusCode = statusCode;
        }

        public void Dispose() => Body.Dispose();
    }
}
