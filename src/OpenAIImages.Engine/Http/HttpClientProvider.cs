using System;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Http;
using System.Threading;

namespace OpenAIImages.Engine.Http
{
    /// <summary>
    /// The one HTTP pipeline: one handler chain per proxy setting (the proxy belongs to the innermost handler), kept
    /// for the life of the process, so connections are reused across pipeline items and cmdlet calls; every caller
    /// gets a cheap HttpClient over it.
    /// </summary>
    /// <remarks>
    /// <para>
    /// DNS changes: on PowerShell 7 (.NET Core) the innermost handler is a SocketsHttpHandler whose pooled connections
    /// live at most <see cref="ConnectionLifetime"/>, so a moved endpoint is reached within that time. SocketsHttpHandler
    /// is not in netstandard2.0, so it is made by reflection; HttpClientHandler offers no connection lifetime. Windows
    /// PowerShell 5.1 (.NET Framework) has no SocketsHttpHandler: HttpClientHandler there goes through ServicePoint,
    /// which looks names up again for new connections after ServicePointManager.DnsRefreshTimeout (two minutes).
    /// </para>
    /// <para>
    /// Why not Microsoft.Extensions.Http's factory, which this used to be: it rotates handlers for the same reason,
    /// but its container, options and logging were about a third of what a fresh pwsh compiled for the first image
    /// (measured 2026-12-06: first call 293 ms, 266 ms of it JIT, against 197 ms and 173 ms without it), and nine
    /// assemblies fewer is nine fewer to keep private beside other modules' copies.
    /// </para>
    /// </remarks>
    internal static class HttpClientProvider
    {
        /// <summary>How long a pooled connection is used before a new one is opened (and the name looked up again).</summary>
        internal static readonly TimeSpan ConnectionLifetime = TimeSpan.FromMinutes(5);

        private const int MaxConnectionsPerServer = 64;
        private const DecompressionMethods Decompression = DecompressionMethods.GZip | DecompressionMethods.Deflate;

        // Null on .NET Framework; on .NET Core 2.1 and later the handler HttpClientHandler itself wraps.
        private static readonly Type? SocketsHandlerType = Type.GetType("System.Net.Http.SocketsHttpHandler, System.Net.Http", throwOnError: false);

        private static readonly ConcurrentDictionary<string, Lazy<HttpMessageHandler>> Handlers = new ConcurrentDictionary<string, Lazy<HttpMessageHandler>>();

        /// <summary>A client for the given proxy; cheap to create, and disposing it leaves the shared handlers alone.</summary>
        public static HttpClient Get(ProxySettings proxy)
        {
            // Checked on every call: a script may have set the session's protocols after the module's first request.
            TlsDefaults.EnsureTls12();
            var handler = Handlers.GetOrAdd(proxy.Key, _ => new Lazy<HttpMessageHandler>(() => CreateChain(proxy), LazyThreadSafetyMode.ExecutionAndPublication)).Value;
            // Each request carries its own deadline (OpenAIConnection.Timeout), so a cancelled wait and an expired one can be told apart.
            return new HttpClient(handler, disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan };
        }

        /// <summary>Redirects are followed by RedirectHandler, which drops credentials when the host changes.</summary>
        internal static HttpMessageHandler CreateChain(ProxySettings proxy) =>
            new RedirectHandler { InnerHandler = SocketsHandlerType != null ? CreateSocketsHandler(SocketsHandlerType, proxy) : CreateFrameworkHandler(proxy) };

        private static HttpMessageHandler CreateSocketsHandler(Type type, ProxySettings proxy)
        {
            var handler = (HttpMessageHandler)Activator.CreateInstance(type)!;
            Set(handler, "AllowAutoRedirect", false);
            Set(handler, "AutomaticDecompression", Decompression);
            Set(handler, "MaxConnectionsPerServer", MaxConnectionsPerServer);
            Set(handler, "PooledConnectionLifetime", ConnectionLifetime);
            if (ExplicitProxy(proxy) is WebProxy webProxy)
            {
                Set(handler, "UseProxy", true);
                Set(handler, "Proxy", webProxy);
            }
            return handler;
        }

        private static HttpMessageHandler CreateFrameworkHandler(ProxySettings proxy)
        {
            var handler = new HttpClientHandler
            {
                AllowAutoRedirect = false,
                AutomaticDecompression = Decompression,
                MaxConnectionsPerServer = MaxConnectionsPerServer,
            };
            if (ExplicitProxy(proxy) is WebProxy webProxy)
            {
                handler.UseProxy = true;
                handler.Proxy = webProxy;
            }
            return handler;
        }

        /// <summary>The proxy a -Proxy parameter named, or null for the system's own.</summary>
        private static WebProxy? ExplicitProxy(ProxySettings proxy) =>
            proxy.Address == null ? null : new WebProxy(proxy.Address) { Credentials = proxy.Credential };

        private static void Set(object target, string property, object value) =>
            (target.GetType().GetProperty(property) ?? throw new MissingMemberException(target.GetType().FullName, property)).SetValue(target, value);
    }
}
