using System;
using System.Net;

namespace OpenAIImages.Engine.Http
{
    /// <summary>Which proxy requests use. The default is the system's (and HTTPS_PROXY/HTTP_PROXY where the runtime reads them).</summary>
    public sealed class ProxySettings
    {
        public static readonly ProxySettings System = new ProxySettings(null, null);

        public Uri? Address { get; }
        public NetworkCredential? Credential { get; }

        public ProxySettings(Uri? address, NetworkCredential? credential)
        {
            Address = address;
            Credential = credential;
        }

        /// <summary>Distinguishes handler pools; the password is not part of it, only who it belongs to.</summary>
        internal string Key => Address == null ? "system" : Address.AbsoluteUri + "|" + Credential?.UserName + "|" + (Credential == null ? 0 : Credential.Password.GetHashCode());
    }
}
