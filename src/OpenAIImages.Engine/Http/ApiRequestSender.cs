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
        private readonly RateGate _gate = new RateGate();

        public ApiRequestSender(OpenAIConnection connection)
        {
            _connection = connection;
        }

        public OpenAIConnection Connection => _connection;

        private long _retryingUntilTicks;

        /// <summary>
        /// The latest time a retry of this client is waiting for, while one waits: what a progress record counts down
        /// to. Null when no retry waits.
        /// </summary>
        public DateTimeOffset? RetryingUntil
        {
            get
            {
                long ticks = Interlocked.Read(ref _retryingUntilTicks);
                return ticks == 0 ? (DateTimeOffset?)null : new DateTimeOffset(ticks, TimeSpan.Zero);
            }
        }

        private void WaitingUntil(DateTimeOffset until)
        {
            long ticks = until.UtcTicks;
            for (long seen = Interlocked.Read(ref _retryingUntilTicks); seen < ticks; seen = Interlocked.Read(ref _retryingUntilTicks))
                if (Interlocked.CompareExchange(ref _retryingUntilTicks, ticks, seen) == seen) break;
        }

        private void DoneWaiting(DateTimeOffset until) => Interlocked.CompareExchange(ref _retryingUntilTicks, 0, until.UtcTicks);

        /// <summary>
        /// Sends, retrying what <see cref="RetryPolicy"/> calls transient, and hands a successful response to
        /// <paramref name="readSuccess"/> with its body still unread (server-sent events arrive over minutes). Every
        /// attempt builds its content anew, so multipart and JSON bodies are sent whole each time. Waits the server
        /// asks for hold back every request of this client. Failures inside <paramref name="readSuccess"/> are not
        /// retried: part of the answer may already have been shown, and a second attempt would be a second, paid, image.
        /// </summary>
        public Task<T> SendAsync<T>(Uri uri, Func<HttpContent> content, IOperationObserver observer,
            Func<SuccessfulResponse, CancellationToken, Task<T>> readSuccess, bool acceptsEventStream, CancellationToken cancellationToken) =>
            SendAsync(HttpMethod.Post, uri, content, observer, readSuccess, acceptsEventStream, cancellationToken);

        /// <summary>
        /// The same, for any method: GET and DELETE send no content (<paramref name="content"/> null). A 409 is retried
        /// like the SDKs retry it (a conflicting operation may be in progress) unless <paramref name="conflictIsFinal"/>
        /// says that for this call it is the object's state that refuses, which no second attempt changes.
        /// </summary>
        public async Task<T> SendAsync<T>(HttpMethod method, Uri uri, Func<HttpContent>? content, IOperationObserver observer,
            Func<SuccessfulResponse, CancellationToken, Task<T>> readSuccess, bool acceptsEventStream, CancellationToken cancellationToken, bool conflictIsFinal = false)
        {
            var policy = _connection.Retry;
            for (int attempt = 1; ; attempt++)
            {
                await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
                Exception failure;
                TimeSpan? requested = null;
                try
                {
                    return await SendOnceAsync(method, uri, content, observer, readSuccess, acceptsEventStream, cancellationToken).ConfigureAwait(false);
                }
                catch (ReadFailedException e)
                {
                    System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException!).Throw();
                    throw;
                }
                catch (OpenAIApiException e) when (attempt <= policy.MaxRetries && !(conflictIsFinal && e.StatusCode == 409) && RetryPolicy.IsRetryableStatus(e.StatusCode, e.Code, e.ShouldRetry))
                {
                    failure = e;
                    requested = e.RetryAfter;
                }
                // Our own deadline is not retried: the server may have finished (and billed) the image we stopped
                // waiting for, and a second attempt would meet the same deadline.
                catch (OpenAITransportException e) when (attempt <= policy.MaxRetries && e.ErrorId == OpenAITransportException.ConnectionFailed)
                {
                    failure = e;
                }
                catch (OpenAITransportException e) when (attempt <= policy.MaxRetries && e.InnerException != null && RetryPolicy.IsRetryableFailure(e.InnerException))
                {
                    failure = e;
                }

                var delay = policy.DelayBefore(attempt, requested);
                if (delay is not TimeSpan wait)
                {
                    if (failure is OpenAIApiException api && requested is TimeSpan asked)
                        throw api.With(api.Party, FailureAdvice.RetryWaitTooLong(asked, policy.MaxServerRequestedDelay));
                    throw failure;
                }
                var until = DateTimeOffset.UtcNow + wait;
                if (requested != null || (failure as OpenAIApiException)?.StatusCode == 429) _gate.Delay(until);
                observer.Warning($"Attempt {attempt} of {policy.MaxRetries + 1} failed: {failure.Message} Retrying in {wait.TotalSeconds:0.0} s.");
                WaitingUntil(until);
                try
                {
                    await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    DoneWaiting(until);
                }
            }
        }

        private async Task<T> SendOnceAsync<T>(HttpMethod method, Uri uri, Func<HttpContent>? content, IOperationObserver observer,
            Func<SuccessfulResponse, CancellationToken, Task<T>> readSuccess, bool acceptsEventStream, CancellationToken cancellationToken)
        {
            using var exchange = new HttpExchange(_connection.Timeout, cancellationToken);
            HttpResponseMessage? response = null;
            string? requestId = null;
            bool reading = false;
            try
            {
                using var request = CreateRequest(method, uri, content?.Invoke());
                if (acceptsEventStream) request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
                observer.Verbose($"{method} {uri.GetLeftPart(UriPartial.Path)}");
                observer.Debug("Request headers: " + RequestRedactor.DescribeHeaders(request));
                var started = DateTimeOffset.UtcNow;
                response = await HttpClientProvider.Get(_connection.Proxy).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, exchange.Token).ConfigureAwait(false);
                requestId = ApiErrorReader.RequestIdOf(response);
                observer.Verbose($"HTTP {(int)response.StatusCode} after {(DateTimeOffset.UtcNow - started).TotalSeconds:0.0} s, request id {requestId ?? "(none)"}");

                using (exchange.AbortOnCancel(response))
                {
                    if (!response.IsSuccessStatusCode)
                    {
                        using var stream = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
                        using var body = await ResponseBody.ReadAsync(stream, response.Content.Headers.ContentLength, MaxResponseBytes, exchange.Token).ConfigureAwait(false);
                        throw FailureAdvice.ForApi((OpenAIApiException)WithoutSecret(ApiErrorReader.Read(response, body.Span)), _connection);
                    }
                    reading = acceptsEventStream;
                    return await readSuccess(new SuccessfulResponse(response, requestId), exchange.Token).ConfigureAwait(false);
                }
            }
            catch (Exception e) when (HttpExchange.IsTransportFailure(e))
            {
                var mapped = FailureAdvice.ForTransport(exchange.Map(e, $"The request to {uri.GetLeftPart(UriPartial.Path)}", requestId, "Raise -TimeoutSec, or try a lower -Quality or smaller -Size."), e, uri, _connection);
                if (mapped is OperationCanceledException) throw mapped;
                throw reading ? new ReadFailedException(mapped) : mapped;
            }
            catch (Exception e) when (reading && !(e is ReadFailedException))
            {
                throw new ReadFailedException(WithoutSecret(e));
            }
            finally
            {
                response?.Dispose();
            }
        }

        /// <summary>
        /// An API error whose server-sent text (an error body or an error event) quotes the credential, rebuilt with the
        /// credential hidden: the text goes into messages, warnings and error records.
        /// </summary>
        private Exception WithoutSecret(Exception e)
        {
            if (!(e is OpenAIApiException api)) return e;
            var credential = _connection.Credential;
            string message = credential.Redact(api.ApiMessage);
            string? type = Clean(api.ErrorType), code = Clean(api.Code), param = Clean(api.Param);
            if (ReferenceEquals(message, api.ApiMessage) && ReferenceEquals(type, api.ErrorType) && ReferenceEquals(code, api.Code) && ReferenceEquals(param, api.Param))
                return e;
            return new OpenAIApiException(api.StatusCode, type, code, param, message, api.RequestId, api.RetryAfter, api.Party, api.Hint) { ShouldRetry = api.ShouldRetry };

            string? Clean(string? text) => text == null ? null : credential.Redact(text);
        }

        internal HttpRequestMessage CreateRequest(Uri uri, HttpContent content) => CreateRequest(HttpMethod.Post, uri, content);

        internal HttpRequestMessage CreateRequest(HttpMethod method, Uri uri, HttpContent? content)
        {
            var request = new HttpRequestMessage(method, uri) { Content = content };
            var credential = _connection.Credential;
            if (credential.Kind == CredentialKind.AzureApiKey) request.Headers.TryAddWithoutValidation("api-key", credential.Reveal());
            else request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", credential.Reveal());
            if (_connection.Organization != null) request.Headers.TryAddWithoutValidation("OpenAI-Organization", _connection.Organization);
            if (_connection.Project != null) request.Headers.TryAddWithoutValidation("OpenAI-Project", _connection.Project);
            request.Headers.TryAddWithoutValidation("User-Agent", _connection.UserAgent);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            return request;
        }

    }

    /// <summary>A 2xx response whose body is still unread.</summary>
    internal sealed class SuccessfulResponse
    {
        public HttpResponseMessage Message { get; }
        public string? RequestId { get; }
        public int StatusCode => (int)Message.StatusCode;

        public SuccessfulResponse(HttpResponseMessage message, string? requestId)
        {
            Message = message;
            RequestId = requestId;
        }

        public bool IsEventStream => string.Equals(Message.Content.Headers.ContentType?.MediaType, "text/event-stream", StringComparison.OrdinalIgnoreCase);

        public Task<Stream> OpenAsync() => Message.Content.ReadAsStreamAsync();

        public async Task<ResponseBody> ReadBodyAsync(CancellationToken cancellationToken)
        {
            using var stream = await Message.Content.ReadAsStreamAsync().ConfigureAwait(false);
            return await ResponseBody.ReadAsync(stream, Message.Content.Headers.ContentLength, ApiRequestSender.MaxResponseBytes, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Carries a failure that happened while a streamed answer was being read, past the retry loop.</summary>
    internal sealed class ReadFailedException : Exception
    {
        public ReadFailedException(Exception inner) : base(inner.Message, inner) { }
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
