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

        /// <summary>Retries after the first attempt; null for the default (3).</summary>
        public int? MaxRetries { get; set; }

        /// <summary>The longest wait a server may ask for (Retry-After) that is waited out before a retry.</summary>
        public TimeSpan? MaxRetryWait { get; set; }

        /// <summary>An Azure OpenAI resource, e.g. https://contoso.openai.azure.com. Keys go in the api-key header.</summary>
        public Uri? AzureEndpoint { get; set; }

        /// <summary>The Azure deployment; without one, the resource's /openai/v1 API is used with the model name.</summary>
        public string? AzureDeployment { get; set; }

        /// <summary>The api-version query parameter for deployment URLs.</summary>
        public string? AzureApiVersion { get; set; }

        /// <summary>A Microsoft Entra ID access token, sent as a bearer token instead of a key.</summary>
        public ApiCredential? AccessToken { get; set; }

        /// <summary>Allow http:// to a host that is not this machine (the key would cross the network in clear text).</summary>
        public bool AllowInsecureHttp { get; set; }
    }
}
