using System;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Http;
using System.Threading;
using Microsoft.Extensions.DependencyInjection;

namespace OpenAIImages.Engine.Http
{
    /// <summary>
    /// The one HTTP pipeline. Clients come from Microsoft.Extensions.Http's factory, which pools handlers (so
    /// connections are reused across pipeline items and cmdlet calls) and rotates them (so DNS changes are seen).
    /// One factory exists per proxy setting, because the proxy belongs to the innermost handler.
    /// </summary>
    internal static class HttpClientProvider
    {
        private const string ClientName = "OpenAIImages";
        private static readonly ConcurrentDictionary<string, Lazy<IHttpClientFactory>> Factories = new ConcurrentDictionary<string, Lazy<IHttpClientFactory>>();

        /// <summary>A client for the given proxy; cheap to create, do not dispose the handlers it shares.</summary>
        public static HttpClient Get(ProxySettings proxy)
        {
            // Checked on every call: a script may have set the session's protocols after the module's first request.
            TlsDefaults.EnsureTls12();
            var factory = Factories.GetOrAdd(proxy.Key, _ => new Lazy<IHttpClientFactory>(() => BuildFactory(proxy), LazyThreadSafetyMode.ExecutionAndPublication)).Value;
            var client = factory.CreateClient(ClientName);
            // Each request carries its own deadline (OpenAIConnection.Timeout), so a cancelled wait and an expired one can be told apart.
            client.Timeout = Timeout.InfiniteTimeSpan;
            return client;
        }

        private static IHttpClientFactory BuildFactory(ProxySettings proxy)
        {
            var services = new ServiceCollection();
            services.AddHttpClient(ClientName)
                .ConfigurePrimaryHttpMessageHandler(() => CreatePrimaryHandler(proxy))
                .AddHttpMessageHandler(() => new RedirectHandler())
                .SetHandlerLifetime(TimeSpan.FromMinutes(5))
                .RemoveAllLoggers();
            return services.BuildServiceProvider().GetRequiredService<IHttpClientFactory>();
        }

        private static HttpMessageHandler CreatePrimaryHandler(ProxySettings proxy)
        {
            var handler = new HttpClientHandler
            {
                // Redirects are followed by RedirectHandler, which drops credentials when the host changes.
                AllowAutoRedirect = false,
                AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate,
                MaxConnectionsPerServer = 64,
            };
            if (proxy.Address != null)
            {
                handler.UseProxy = true;
                handler.Proxy = new WebProxy(proxy.Address) { Credentials = proxy.Credential };
            }
            return handler;
        }
    }
}
