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

        public static OpenAIConnection Resolve(ConnectionOptions options, Func<string, string?> environment)
        {
            var credential = options.Credential;
            if (credential == null)
            {
                string? key = environment(ApiKeyVariable);
                if (string.IsNullOrWhiteSpace(key))
                    throw new ImageRequestException(ErrorIds.ApiKeyMissing,
                        "No API key was given. Pass -ApiKey, or set the OPENAI_API_KEY environment variable (for example $env:OPENAI_API_KEY = '<your key>').");
                credential = ApiCredential.FromString(key!);
            }

            Uri baseUri = options.BaseUri ?? ParseBaseUri(environment(BaseUrlVariable)) ?? OpenAIConnection.DefaultBaseUri;
            CheckBaseUri(baseUri, options.AllowInsecureHttp);

            return new OpenAIConnection(baseUri, credential)
            {
                Organization = Blank(options.Organization) ?? Blank(environment(OrganizationVariable)),
                Project = Blank(options.Project) ?? Blank(environment(ProjectVariable)),
                Timeout = options.Timeout ?? OpenAIConnection.DefaultTimeout,
                UserAgent = options.UserAgent ?? "OpenAIImages",
                Proxy = options.Proxy ?? ProxySettings.System,
            };
        }

        /// <summary>The model to use when none was named: OPENAI_IMAGE_MODEL, else the given default.</summary>
        public static string DefaultModel(Func<string, string?> environment, string fallback) =>
            Blank(environment(ModelVariable)) ?? fallback;

        private static Uri? ParseBaseUri(string? text)
        {
            if (string.IsNullOrWhiteSpace(text)) return null;
            if (!Uri.TryCreate(text!.Trim(), UriKind.Absolute, out var uri))
                throw new ImageRequestException(ErrorIds.BaseUriInvalid, $"OPENAI_BASE_URL '{text}' is not an absolute URL such as https://api.openai.com/v1.");
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
