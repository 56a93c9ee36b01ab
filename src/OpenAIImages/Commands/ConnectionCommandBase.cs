using System;
using System.Management.Automation;
using System.Security;
using OpenAIImages.Engine;
using OpenAIImages.Engine.Http;
using OpenAIImages.Engine.Validation;
using OpenAIImages.Infrastructure;

namespace OpenAIImages.Commands
{
    /// <summary>
    /// What every cmdlet that talks to the API shares: the connection parameters (key or token, base URI or Azure
    /// resource, proxy, timeout, retries), their checks, and the one place they become a connection.
    /// </summary>
    public abstract class ConnectionCommandBase : AsyncPSCmdlet
    {
        /// <summary>The API key, as a string or a SecureString. Defaults to $env:OPENAI_API_KEY.</summary>
        [Parameter]
        [SecureStringTransformation]
        [ValidateNotNull]
        public SecureString? ApiKey { get; set; }

        /// <summary>The API root of OpenAI or a compatible server. Defaults to $env:OPENAI_BASE_URL, then https://api.openai.com/v1.</summary>
        [Parameter]
        [ValidateNotNull]
        public Uri? BaseUri { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Organization { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Project { get; set; }

        /// <summary>The longest one request may take, in seconds.</summary>
        [Parameter]
        [ValidateRange(1, 86400)]
        public int TimeoutSec { get; set; } = 600;

        /// <summary>Retries of a failed request (rate limits, server errors, broken connections); 0 turns them off.</summary>
        [Parameter]
        [ValidateRange(0, 10)]
        public int MaxRetries { get; set; } = RetryPolicy.DefaultMaxRetries;

        /// <summary>
        /// The longest wait, in seconds, that a server may ask for (Retry-After on a rate limit) and the module waits
        /// out before retrying, with a progress record counting down; a longer one fails at once and says how long.
        /// </summary>
        [Parameter]
        [ValidateRange(0, 86400)]
        public int MaxRetryWaitSec { get; set; } = 60;

        /// <summary>A proxy for every request; the system proxy (and HTTPS_PROXY) is used when none is given.</summary>
        [Parameter]
        [ValidateNotNull]
        public Uri? Proxy { get; set; }

        [Parameter]
        [Credential]
        [ValidateNotNull]
        public PSCredential? ProxyCredential { get; set; }

        /// <summary>An Azure OpenAI resource, e.g. https://contoso.openai.azure.com.</summary>
        [Parameter]
        [ValidateNotNull]
        public Uri? Endpoint { get; set; }

        /// <summary>The Azure OpenAI deployment; without it the resource's /openai/v1 API is used.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Deployment { get; set; }

        /// <summary>The Azure OpenAI api-version for deployment URLs.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? ApiVersion { get; set; }

        /// <summary>A Microsoft Entra ID access token for Azure OpenAI, instead of a key.</summary>
        [Parameter]
        [SecureStringTransformation]
        [ValidateNotNull]
        public SecureString? AccessToken { get; set; }

        /// <summary>Allow an http:// base URI to another machine (the key would travel unencrypted).</summary>
        [Parameter]
        public SwitchParameter AllowInsecureHttp { get; set; }

        /// <summary>Parameters that cannot go together end the call before anything is sent.</summary>
        private protected void CheckConnectionParameters()
        {
            if (Proxy != null && (!Proxy.IsAbsoluteUri || (Proxy.Scheme != Uri.UriSchemeHttp && Proxy.Scheme != Uri.UriSchemeHttps)))
                throw Refuse(ErrorIds.ProxyInvalid, $"-Proxy '{Proxy.OriginalString}' is not an http:// or https:// address. Write it with its scheme, for example http://proxy.example:8080.", Proxy);
            if (ApiKey != null && AccessToken != null)
                throw Refuse(ErrorIds.ApiKeyAndAccessToken, "Give -ApiKey or -AccessToken, not both: -ApiKey for an OpenAI, compatible-server or Azure OpenAI key, -AccessToken for a Microsoft Entra ID token.");
            if (ProxyCredential != null && Proxy == null)
                throw Refuse(ErrorIds.ProxyCredentialWithoutProxy, "-ProxyCredential is for the proxy named by -Proxy; add -Proxy, or remove -ProxyCredential.");
        }

        /// <summary>The proxy the parameters name, or null for the system's.</summary>
        private protected ProxySettings? ProxyOrDefault => Proxy == null ? null : new ProxySettings(Proxy, ProxyCredential?.GetNetworkCredential());

        /// <summary>The connection the parameters and the environment describe; a call that cannot connect ends here.</summary>
        private protected OpenAIConnection Connect(AsyncPipeline pipeline)
        {
            try
            {
                var options = new ConnectionOptions
                {
                    Credential = ApiKey != null ? ApiCredential.FromSecureString(ApiKey) : null,
                    BaseUri = BaseUri,
                    Organization = Organization,
                    Project = Project,
                    Timeout = TimeSpan.FromSeconds(TimeoutSec),
                    UserAgent = pipeline.OnPipelineThread(() => ModuleContext.UserAgent(this)),
                    AllowInsecureHttp = AllowInsecureHttp,
                    MaxRetries = MaxRetries,
                    MaxRetryWait = TimeSpan.FromSeconds(MaxRetryWaitSec),
                    Proxy = ProxyOrDefault,
                    AzureEndpoint = Endpoint,
                    AzureDeployment = Deployment,
                    AzureApiVersion = ApiVersion,
                    AccessToken = AccessToken != null ? ApiCredential.FromSecureString(AccessToken, CredentialKind.BearerAccessToken) : null,
                };
                return ConnectionResolver.Resolve(options, Environment.GetEnvironmentVariable);
            }
            catch (OpenAIImagesException e)
            {
                throw Terminate(ErrorRecords.From(e, null));
            }
            catch (ArgumentException)
            {
                // ApiCredential refuses empty secrets; say which parameter was empty, never what it held.
                var empty = new ImageRequestException(ErrorIds.ApiKeyMissing, "The API key or access token given is empty. Pass a non-empty -ApiKey or -AccessToken, or set OPENAI_API_KEY.");
                throw Terminate(ErrorRecords.From(empty, null));
            }
        }
    }
}
