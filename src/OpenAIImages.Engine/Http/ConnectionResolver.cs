using System;
using System.Net;
using OpenAIImages.Engine.Validation;

namespace OpenAIImages.Engine.Http
{
    /// <summary>
    /// Settles where requests go and with which key: explicit options first, then the environment variables the
    /// official OpenAI libraries read (OPENAI_API_KEY, OPENAI_BASE_URL, OPENAI_ORG_ID, OPENAI_PROJECT_ID).
    /// </summary>
    public static class ConnectionResolver
    {
        public const string ApiKeyVariable = "OPENAI_API_KEY";
        public const string BaseUrlVariable = "OPENAI_BASE_URL";
        public const string OrganizationVariable = "OPENAI_ORG_ID";
        public const string ProjectVariable = "OPENAI_PROJECT_ID";
        public const string ModelVariable = "OPENAI_IMAGE_MODEL";
        public const string AzureKeyVariable = "AZURE_OPENAI_API_KEY";
        public const string AzureEndpointVariable = "AZURE_OPENAI_ENDPOINT";
        public const string DefaultAzureApiVersion = "2025-04-01-preview";

        public static OpenAIConnection Resolve(ConnectionOptions options, Func<string, string?> environment)
        {
            var azureEndpoint = options.AzureEndpoint ?? (options.AzureDeployment != null ? ParseBaseUri(environment(AzureEndpointVariable), AzureEndpointVariable) : null);
            if (azureEndpoint != null) return ResolveAzure(options, azureEndpoint, environment);
            if (options.AzureDeployment != null)
                throw new ImageRequestException(ErrorIds.BaseUriInvalid, "-Deployment needs the Azure resource: add -Endpoint https://<resource>.openai.azure.com, or set AZURE_OPENAI_ENDPOINT.");

            // Without Azure, an access token is a bearer token like any other (servers behind an identity gateway).
            var credential = options.AccessToken?.As(CredentialKind.BearerAccessToken) ?? options.Credential;
            if (credential == null)
            {
                string? key = environment(ApiKeyVariable);
                if (string.IsNullOrWhiteSpace(key))
                    throw new ImageRequestException(ErrorIds.ApiKeyMissing,
                        "No API key was given. Pass -ApiKey, or set the OPENAI_API_KEY environment variable (for example $env:OPENAI_API_KEY = '<your key>').");
                credential = ApiCredential.FromString(key!);
            }

            Uri baseUri = options.BaseUri ?? ParseBaseUri(environment(BaseUrlVariable), BaseUrlVariable) ?? OpenAIConnection.DefaultBaseUri;
            CheckBaseUri(baseUri, options.AllowInsecureHttp);
            return Connect(baseUri, credential, options,
                organization: Blank(options.Organization) ?? Blank(environment(OrganizationVariable)),
                project: Blank(options.Project) ?? Blank(environment(ProjectVariable)));
        }

        /// <summary>
        /// Azure OpenAI: a deployment URL (/openai/deployments/NAME/...?api-version=...) or, without a deployment, the
        /// resource's OpenAI-compatible /openai/v1/ API. Keys travel in the api-key header; an Entra ID token as a
        /// bearer token.
        /// </summary>
        private static OpenAIConnection ResolveAzure(ConnectionOptions options, Uri endpoint, Func<string, string?> environment)
        {
            if (options.BaseUri != null)
                throw new ImageRequestException(ErrorIds.BaseUriInvalid, "Give -BaseUri (OpenAI or a compatible server) or -Endpoint (Azure OpenAI), not both.");
            CheckBaseUri(endpoint, options.AllowInsecureHttp);
            ApiCredential? credential = options.AccessToken?.As(CredentialKind.BearerAccessToken) ?? options.Credential?.As(CredentialKind.AzureApiKey);
            if (credential == null)
            {
                string? key = environment(AzureKeyVariable);
                if (string.IsNullOrWhiteSpace(key))
                    throw new ImageRequestException(ErrorIds.ApiKeyMissing,
                        "No Azure OpenAI credential was given. Pass -ApiKey (the resource key) or -AccessToken (a Microsoft Entra ID token), or set AZURE_OPENAI_API_KEY.");
                credential = ApiCredential.FromString(key!, CredentialKind.AzureApiKey);
            }
            string root = endpoint.GetLeftPart(UriPartial.Authority) + "/openai/";
            string? deployment = Blank(options.AzureDeployment);
            Uri baseUri = deployment != null
                ? new Uri(root + "deployments/" + Uri.EscapeDataString(deployment) + "/")
                : new Uri(root + "v1/");
            string? version = Blank(options.AzureApiVersion) ?? (deployment != null ? DefaultAzureApiVersion : null);
            return Connect(baseUri, credential, options, query: version == null ? null : "api-version=" + Uri.EscapeDataString(version), azure: true);
        }

        /// <summary>The one place options become a connection: what OpenAI and Azure share, and what differs between them.</summary>
        private static OpenAIConnection Connect(Uri baseUri, ApiCredential credential, ConnectionOptions options, string? organization = null, string? project = null, string? query = null, bool azure = false) =>
            new OpenAIConnection(baseUri, credential)
            {
                IsAzure = azure,
                Organization = organization,
                Project = project,
                Query = query,
                Timeout = options.Timeout ?? OpenAIConnection.DefaultTimeout,
                UserAgent = options.UserAgent ?? "OpenAIImages",
                Proxy = options.Proxy ?? ProxySettings.System,
                Retry = new RetryPolicy
                {
                    MaxRetries = options.MaxRetries ?? RetryPolicy.DefaultMaxRetries,
                    MaxServerRequestedDelay = options.MaxRetryWait ?? RetryPolicy.DefaultMaxServerRequestedDelay,
                },
            };

        /// <summary>The model to use when none was named: OPENAI_IMAGE_MODEL, else the given default.</summary>
        public static string DefaultModel(Func<string, string?> environment, string fallback) =>
            Blank(environment(ModelVariable)) ?? fallback;

        private static Uri? ParseBaseUri(string? text, string variable)
        {
            if (string.IsNullOrWhiteSpace(text)) return null;
            if (!Uri.TryCreate(text!.Trim(), UriKind.Absolute, out var uri))
                throw new ImageRequestException(ErrorIds.BaseUriInvalid, $"{variable} '{text}' is not an absolute URL such as https://api.openai.com/v1.");
            return uri;
        }

        private static void CheckBaseUri(Uri uri, bool allowInsecure)
        {
            if (!uri.IsAbsoluteUri || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
                throw new ImageRequestException(ErrorIds.BaseUriInvalid, $"The base URI '{uri}' is not an http or https URL such as https://api.openai.com/v1.");
            if (uri.Scheme == Uri.UriSchemeHttp && !allowInsecure && !IsLoopback(uri))
                throw new ImageRequestException(ErrorIds.InsecureBaseUri,
                    $"The base URI '{uri.GetLeftPart(UriPartial.Authority)}' uses http://, which would send the API key unencrypted. Use https://, or add -AllowInsecureHttp if this network is trusted.");
        }

        private static bool IsLoopback(Uri uri) =>
            uri.IsLoopback || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));

        private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value!.Trim();
    }
}
