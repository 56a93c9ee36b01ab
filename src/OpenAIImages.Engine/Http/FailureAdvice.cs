using System;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;

namespace OpenAIImages.Engine.Http
{
    /// <summary>
    /// Says who is at fault and what to do, where the bare failure would mislead: an error from Azure OpenAI is not
    /// "OpenAI returned", a proxy that refuses is not api.openai.com refusing, a TLS handshake with a plain-http port is
    /// not a "frame size" problem, and a 404 from a base URI without /v1 is a missing segment.
    /// </summary>
    internal static class FailureAdvice
    {
        /// <summary>An API error said of the party that answered, with advice where the module can give more.</summary>
        public static OpenAIApiException ForApi(OpenAIApiException e, OpenAIConnection connection) =>
            e.With(connection.Party, HintFor(e, connection));

        private static string? HintFor(OpenAIApiException e, OpenAIConnection connection)
        {
            if (e.StatusCode == 401)
            {
                if (connection.IsAzure)
                    return "Azure OpenAI takes one of the resource's two keys (-ApiKey, or AZURE_OPENAI_API_KEY; sent as the api-key header) or a Microsoft Entra ID token for https://cognitiveservices.azure.com (-AccessToken). Check that the key belongs to this resource, " + connection.BaseUri.GetLeftPart(UriPartial.Authority) + ".";
                if (connection.Party == "OpenAI")
                    return "Check the key in -ApiKey or OPENAI_API_KEY (keys are at https://platform.openai.com/api-keys), and -Organization and -Project if you give them.";
                return null;
            }
            if (e.StatusCode == 404 && !connection.IsAzure && connection.BaseUri.AbsolutePath.IndexOf("/v1", StringComparison.OrdinalIgnoreCase) < 0)
                return $"The base URI {connection.BaseUri} has no /v1 segment, under which OpenAI and most compatible servers serve the API. Try -BaseUri {connection.BaseUri}v1.";
            return null;
        }

        /// <summary>
        /// A connection failure described by what failed: the proxy, or a TLS handshake with a server that speaks
        /// plain HTTP. Anything else is returned as it is.
        /// </summary>
        public static Exception ForTransport(Exception mapped, Exception original, Uri uri, OpenAIConnection connection)
        {
            if (!(mapped is OpenAITransportException transport) || transport.ErrorId != OpenAITransportException.ConnectionFailed) return mapped;
            string reason = original.Innermost().Message.TrimEnd('.');
            Uri? proxy = ProxyFor(uri, connection.Proxy);
            if (proxy != null && Has<SocketException>(original))
                return new OpenAITransportException(OpenAITransportException.ConnectionFailed,
                    $"The proxy {proxy.GetLeftPart(UriPartial.Authority)} could not be reached ({reason}), so the request to {uri.GetLeftPart(UriPartial.Path)} was not sent. Check -Proxy, or the HTTPS_PROXY variable and the system's proxy settings.",
                    transport.RequestId, original);
            if (uri.Scheme == Uri.UriSchemeHttps && proxy == null && (Has<AuthenticationException>(original) || IsHandshakeFailure(original)))
                return new OpenAITransportException(OpenAITransportException.ConnectionFailed,
                    $"{uri.GetLeftPart(UriPartial.Authority)} did not complete a TLS (https) handshake ({reason}). If that server speaks plain http, as local and compatible servers often do, give its address with http:// (and -AllowInsecureHttp when it is on another machine).",
                    transport.RequestId, original);
            return mapped;
        }

        /// <summary>What to say when the server asks for a longer wait than the module takes on its own.</summary>
        public static string RetryWaitTooLong(TimeSpan asked, TimeSpan limit)
        {
            int seconds = (int)Math.Ceiling(asked.TotalSeconds);
            return string.Format(CultureInfo.InvariantCulture,
                "The server asked to wait {0} before trying again, and the module waits at most {1} s on its own. Add -MaxRetryWaitSec {2} to wait it out (a progress bar counts down), or run the command again later.",
                Describe(asked), (int)limit.TotalSeconds, seconds);
        }

        private static string Describe(TimeSpan wait) =>
            wait.TotalSeconds < 120 ? string.Format(CultureInfo.InvariantCulture, "{0:0} s", Math.Ceiling(wait.TotalSeconds))
            : wait.TotalMinutes < 120 ? string.Format(CultureInfo.InvariantCulture, "{0:0} min", Math.Ceiling(wait.TotalMinutes))
            : string.Format(CultureInfo.InvariantCulture, "{0:0.#} h", wait.TotalHours);

        /// <summary>
        /// The proxy a request to <paramref name="uri"/> goes through, or null: the one given, or the system's
        /// (HTTPS_PROXY and friends on Linux and macOS, the Internet settings on Windows) unless it bypasses the address.
        /// </summary>
        private static Uri? ProxyFor(Uri uri, ProxySettings settings)
        {
            if (settings.Address != null) return settings.Address;
            try
            {
                IWebProxy? system = WebRequest.DefaultWebProxy;
                if (system == null || system.IsBypassed(uri)) return null;
                Uri? through = system.GetProxy(uri);
                return through == null || through == uri ? null : through;
            }
            catch (Exception e) when (e is InvalidOperationException || e is NotSupportedException || e is PlatformNotSupportedException)
            {
                return null;
            }
        }

        private static bool Has<T>(Exception e) where T : Exception
        {
            for (Exception? current = e; current != null; current = current.InnerException)
                if (current is T) return true;
            return false;
        }

        // .NET reports a TLS handshake that met plain HTTP as an IOException inside the HttpRequestException (for
        // example "Cannot determine the frame size or a corrupted frame was received"), not always as an
        // AuthenticationException; the outer message names SSL.
        private static bool IsHandshakeFailure(Exception e) =>
            e is System.Net.Http.HttpRequestException && e.InnerException is System.IO.IOException && e.Message.IndexOf("SSL", StringComparison.OrdinalIgnoreCase) >= 0;
    }
}
