using System;
using System.Net;
using System.Runtime.InteropServices;

namespace OpenAIImages.Engine.Http
{
    /// <summary>
    /// Windows PowerShell 5.1 runs on .NET Framework, whose HTTP stack offers only the protocols in
    /// ServicePointManager.SecurityProtocol. In powershell.exe that is often Ssl3 and TLS 1.0 alone, which
    /// api.openai.com and Azure OpenAI refuse, so every request would fail with "Could not create SSL/TLS secure
    /// channel". HttpClientHandler.SslProtocols is no way out: .NET Framework throws PlatformNotSupportedException for
    /// it on some builds. So TLS 1.2 is added to the session's set (nothing the session allows is taken away), unless
    /// the session leaves the choice to the operating system (SystemDefault), which includes it already. .NET (Core),
    /// which PowerShell 7 runs on, ignores the setting, and it is not touched there.
    /// </summary>
    internal static class TlsDefaults
    {
        private const SecurityProtocolType SystemDefault = 0;

        internal static bool OnNetFramework { get; } = RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.OrdinalIgnoreCase);

        /// <summary>The set to use: <paramref name="current"/> with TLS 1.2 added, or as it is when it has TLS 1.2 or is SystemDefault.</summary>
        internal static SecurityProtocolType WithTls12(SecurityProtocolType current) =>
            current == SystemDefault || (current & SecurityProtocolType.Tls12) != 0 ? current : current | SecurityProtocolType.Tls12;

        /// <summary>Makes sure this process may speak TLS 1.2 to the API; cheap, and does nothing outside .NET Framework.</summary>
        public static void EnsureTls12()
        {
            if (!OnNetFramework) return;
            var current = ServicePointManager.SecurityProtocol;
            var wanted = WithTls12(current);
            if (wanted != current) ServicePointManager.SecurityProtocol = wanted;
        }
    }
}
