using System;
using System.IO;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using OpenAIImages.Engine.Imaging;

namespace OpenAIImages.Engine.Http
{
    /// <summary>
    /// Fetches images that DALL·E returned as URLs. These are pre-signed storage links: no credential is sent with them.
    /// </summary>
    public static class ImageDownloader
    {
        private const long MaxImageBytes = 64L * 1024 * 1024;

        /// <summary>The longest one download may take. The shared clients have no timeout of their own.</summary>
        public static readonly TimeSpan DefaultTimeout = OpenAIConnection.DefaultTimeout;

        public static Task<byte[]> DownloadAsync(Uri url, CancellationToken cancellationToken, ProxySettings? proxy = null) =>
            DownloadAsync(url, DefaultTimeout, cancellationToken, proxy);

        /// <summary>Downloads within <paramref name="timeout"/>; cancellation ends even a read that is under way.</summary>
        public static async Task<byte[]> DownloadAsync(Uri url, TimeSpan timeout, CancellationToken cancellationToken, ProxySettings? proxy = null)
        {
            if (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp)
                throw new OpenAIImagesException("ImageUrlInvalid", $"The image URL '{url}' is not http or https.");
            string where = url.GetLeftPart(UriPartial.Path);
            var client = HttpClientProvider.Get(proxy ?? ProxySettings.System);
            using var deadline = new CancellationTokenSource(timeout);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, url);
                using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
                // On .NET Framework a pending read does not always see the token; disposing the response ends it.
                using (linked.Token.Register(state => ((HttpResponseMessage)state!).Dispose(), response))
                {
                    if (!response.IsSuccessStatusCode)
                        throw new OpenAIImagesException("ImageDownloadFailed",
                            $"Downloading the image from {where} failed with status {(int)response.StatusCode}. Image URLs expire about an hour after they are made; ask for -ResponseFormat b64_json to get the bytes at once.");
                    using var stream = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
                    using var body = await ResponseBody.ReadAsync(stream, response.Content.Headers.ContentLength, MaxImageBytes, linked.Token).ConfigureAwait(false);
                    if (ImageInfo.SniffFormat(body.Span) == ImageFormat.Unknown)
                        throw new OpenAIImagesException("ImageDownloadFailed", $"What {where} returned is not a PNG, JPEG or WebP image.");
                    return body.Span.ToArray();
                }
            }
            catch (Exception e) when (e is OperationCanceledException || e is ObjectDisposedException || e is IOException || e is InvalidDataException || e is HttpRequestException)
            {
                if (cancellationToken.IsCancellationRequested) throw new OperationCanceledException(cancellationToken);
                if (deadline.IsCancellationRequested)
                    throw new OpenAITransportException(OpenAITransportException.TimedOut,
                        $"Downloading the image from {where} took longer than {timeout.TotalSeconds:0.#} seconds.", inner: e);
                if (e is InvalidDataException)
                    throw new OpenAITransportException(OpenAITransportException.ResponseInvalid, $"Downloading the image from {where} failed: {e.Message}", inner: e);
                throw new OpenAITransportException(OpenAITransportException.ConnectionFailed, $"Downloading the image from {where} failed: {e.Innermost().Message}", inner: e);
            }
        }

    }
}
