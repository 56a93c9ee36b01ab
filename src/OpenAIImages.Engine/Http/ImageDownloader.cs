using System;
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

        /// <summary>Downloads within <paramref name="timeout"/> (the shared clients have none of their own); cancellation ends even a read that is under way.</summary>
        public static async Task<byte[]> DownloadAsync(Uri url, TimeSpan timeout, CancellationToken cancellationToken, ProxySettings? proxy = null)
        {
            if (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp)
                throw new OpenAIImagesException("ImageUrlInvalid", $"The image URL '{url}' is not http or https.");
            string where = url.GetLeftPart(UriPartial.Path);
            var client = HttpClientProvider.Get(proxy ?? ProxySettings.System);
            using var exchange = new HttpExchange(timeout, cancellationToken);
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, url);
                using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, exchange.Token).ConfigureAwait(false);
                using (exchange.AbortOnCancel(response))
                {
                    if (!response.IsSuccessStatusCode)
                        throw new OpenAIImagesException("ImageDownloadFailed",
                            $"Downloading the image from {where} failed with status {(int)response.StatusCode}. Image URLs expire about an hour after they are made; ask for -ResponseFormat b64_json to get the bytes at once.");
                    using var stream = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
                    using var body = await ResponseBody.ReadAsync(stream, response.Content.Headers.ContentLength, MaxImageBytes, exchange.Token).ConfigureAwait(false);
                    if (ImageInfo.SniffFormat(body.Span) == ImageFormat.Unknown)
                        throw new OpenAIImagesException("ImageDownloadFailed", $"What {where} returned is not a PNG, JPEG or WebP image.");
                    return body.Span.ToArray();
                }
            }
            catch (Exception e) when (HttpExchange.IsTransportFailure(e))
            {
                throw exchange.Map(e, $"Downloading the image from {where}", requestId: null);
            }
        }
    }
}
