using System;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace OpenAIImages.Engine.Http
{
    /// <summary>
    /// Follows redirects itself so that credentials never travel to another host: the Authorization and api-key
    /// headers are dropped whenever a redirect leaves the original scheme, host or port.
    /// </summary>
    internal sealed class RedirectHandler : DelegatingHandler
    {
        private const int MaxRedirects = 5;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            var origin = request.RequestUri!;
            for (int hop = 0; hop < MaxRedirects && IsRedirect(response.StatusCode) && response.Headers.Location != null; hop++)
            {
                var target = response.Headers.Location.IsAbsoluteUri ? response.Headers.Location : new Uri(request.RequestUri!, response.Headers.Location);
                if (target.Scheme != Uri.UriSchemeHttps && target.Scheme != Uri.UriSchemeHttp) break;
                bool keepsMethod = response.StatusCode == HttpStatusCode.TemporaryRedirect || (int)response.StatusCode == 308;
                response.Dispose();

                var next = new HttpRequestMessage(keepsMethod ? request.Method : HttpMethod.Get, target);
                if (keepsMethod) next.Content = request.Content;
                foreach (var header in request.Headers) next.Headers.TryAddWithoutValidation(header.Key, header.Value);
                if (!SameOrigin(origin, target))
                {
                    next.Headers.Authorization = null;
                    next.Headers.Remove("api-key");
                    next.Headers.Remove("OpenAI-Organization");
                    next.Headers.Remove("OpenAI-Project");
                }
                request = next;
                response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            }
            return response;
        }

        private static bool IsRedirect(HttpStatusCode status) =>
            status == HttpStatusCode.MovedPermanently || status == HttpStatusCode.Found || status == HttpStatusCode.SeeOther
            || status == HttpStatusCode.TemporaryRedirect || (int)status == 308;

        private static bool SameOrigin(Uri a, Uri b) =>
            string.Equals(a.Scheme, b.Scheme, StringComparison.OrdinalIgnoreCase)
            && string.Equals(a.Host, b.Host, StringComparison.OrdinalIgnoreCase) && a.Port == b.Port;
    }
}
