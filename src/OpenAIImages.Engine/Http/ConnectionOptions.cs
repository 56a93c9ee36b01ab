using System;

namespace OpenAIImages.Engine.Http
{
    /// <summary>What a caller gave explicitly; anything left null is taken from the environment or the defaults.</summary>
    public sealed class ConnectionOptions
    {
        public ApiCredential? Credential { get; set; }
        public Uri? BaseUri { get; set; }
        public string? Organization { get; set; }
        public string? Project { get; set; }
        public TimeSpan? Timeout { get; set; }
        public string? UserAgent { get; set; }
        public ProxySettings? Proxy { get; set; }

        /// <summary>Allow http:// to a host that is not this machine (the key would cross the network in clear text).</summary>
        public bool AllowInsecureHttp { get; set; }
    }
}
