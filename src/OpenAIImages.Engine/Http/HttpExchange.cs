using System;
using System.IO;
using System.Net.Http;
using System.Threading;

namespace OpenAIImages.Engine.Http
{
    /// <summary>
    /// The deadline and cancellation of one HTTP exchange, for API requests and image downloads alike: the caller's
    /// token (Ctrl+C) and the module's own deadline, linked; the response disposed when either fires, because on .NET
    /// Framework a pending read does not always see the token; and every transport failure mapped to the module's
    /// exceptions, naming which of the two ended it.
    /// </summary>
    internal sealed class HttpExchange : IDisposable
    {
        private readonly CancellationToken _caller;
        private readonly TimeSpan _timeout;
        private readonly CancellationTokenSource _deadline;
        private readonly CancellationTokenSource _linked;

        public HttpExchange(TimeSpan timeout, CancellationToken caller)
        {
            _caller = caller;
            _timeout = timeout;
            _deadline = new CancellationTokenSource(timeout);
            _linked = CancellationTokenSource.CreateLinkedTokenSource(caller, _deadline.Token);
        }

        /// <summary>Cancelled by the caller or the deadline, whichever comes first.</summary>
        public CancellationToken Token => _linked.Token;

        /// <summary>Disposes the response when the exchange is cancelled, ending a read under way.</summary>
        public CancellationTokenRegistration AbortOnCancel(HttpResponseMessage response) =>
            _linked.Token.Register(state => ((HttpResponseMessage)state!).Dispose(), response);

        /// <summary>What a cancelled, timed-out, cut or broken exchange throws.</summary>
        public static bool IsTransportFailure(Exception e) =>
            e is OperationCanceledException || e is ObjectDisposedException || e is IOException || e is InvalidDataException || e is HttpRequestException;

        /// <summary>
        /// The module's exception for a transport failure of <paramref name="subject"/> (such as "The request to
        /// https://api.openai.com/v1/images/generations"): cancellation by the caller, our deadline, a body cut short,
        /// or a broken connection.
        /// </summary>
        public Exception Map(Exception e, string subject, string? requestId, string? timeoutAdvice = null)
        {
            if (_caller.IsCancellationRequested) return new OperationCanceledException(_caller);
            if (_deadline.IsCancellationRequested)
                return new OpenAITransportException(OpenAITransportException.TimedOut,
                    $"{subject} took longer than {_timeout.TotalSeconds:0.#} seconds.{(timeoutAdvice == null ? "" : " " + timeoutAdvice)}", requestId, e);
            if (e is InvalidDataException)
                return new OpenAITransportException(OpenAITransportException.ResponseInvalid, $"{subject} was cut short: {e.Message}", requestId, e);
            return new OpenAITransportException(OpenAITransportException.ConnectionFailed, $"{subject} failed: {e.Innermost().Message}", requestId, e);
        }

        public void Dispose()
        {
            _linked.Dispose();
            _deadline.Dispose();
        }
    }
}
