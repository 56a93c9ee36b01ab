using System;

namespace OpenAIImages.Engine.Http
{
    /// <summary>Where requests go and how they are authenticated; built once per cmdlet call.</summary>
    public sealed class OpenAIConnection
    {
        public static readonly Uri DefaultBaseUri = new Uri("https://api.openai.com/v1/");
        public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(600);

        /// <summary>The API root, always ending in a slash (e.g. https://api.openai.com/v1/).</summary>
        public Uri BaseUri { get; }
        public ApiCredential Credential { get; }
        public string? Organization { get; init; }
        public string? Project { get; init; }

        /// <summary>The longest a single request may take, retries not included.</summary>
        public TimeSpan Timeout { get; init; } = DefaultTimeout;
        public string UserAgent { get; init; } = "OpenAIImages";
        public ProxySettings Proxy { get; init; } = ProxySettings.System;
        public RetryPolicy Retry { get; init; } = RetryPolicy.Default;

        /// <summary>True for Azure OpenAI (-Endpoint), whose errors want Azure's advice.</summary>
        public bool IsAzure { get; init; }

        /// <summary>Who answers, as messages name it.</summary>
        public string Party => IsAzure ? "Azure OpenAI" : BaseUri.Host.Equals(DefaultBaseUri.Host, StringComparison.OrdinalIgnoreCase) ? "OpenAI" : $"The server at {BaseUri.GetLeftPart(UriPartial.Authority)}";

        /// <summary>
        /// How long a stream of server-sent events may go silent before the request fails. Without partial images a
        /// stream is silent for the whole generation, which can take two minutes and more, so this is generous.
        /// </summary>
        public TimeSpan StreamIdleTimeout { get; init; } = Streaming.EventStreamGuard.DefaultIdleTimeout;

        public OpenAIConnection(Uri baseUri, ApiCredential credential)
        {
            if (baseUri == null) throw new ArgumentNullException(nameof(baseUri));
            BaseUri = baseUri.AbsoluteUri.EndsWith("/", StringComparison.Ordinal) ? baseUri : new Uri(baseUri.AbsoluteUri + "/");
            Credential = credential ?? throw new ArgumentNullException(nameof(credential));
        }

        /// <summary>A query string every request carries (Azure's api-version), without the leading '?'.</summary>
        public string? Query { get; init; }

        /// <summary>The absolute address of an API path such as <c>images/generations</c>.</summary>
        public Uri EndpointFor(string relativePath)
        {
            var uri = new Uri(BaseUri, relativePath);
            return string.IsNullOrEmpty(Query) ? uri : new Uri(uri.AbsoluteUri + "?" + Query);
        }
    }
}
