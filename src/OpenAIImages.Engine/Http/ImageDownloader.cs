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

        public static async Task<byte[]> DownloadAsync(Uri url, CancellationToken cancellationToken, ProxySettings? proxy = null)
        {
            if (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp)
                throw new OpenAIImagesException("ImageUrlInvalid", $"The image URL '{url}' is not http or https.");
            var client = HttpClientProvider.Get(proxy ?? ProxySettings.System);
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, url);
                using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
                if (!response.IsSuccessStatusCode)
                    throw new OpenAIImagesException("ImageDownloadFailed",
                        $"Downloading the image from {url.GetLeftPart(UriPartial.Path)} failed with status {(int)response.StatusCode}. Image URLs expire about an hour after they are made; ask for -ResponseFormat b64_json to get the bytes at once.");
                using var stream = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
                using var body = await ResponseBody.ReadAsync(stream, response.Content.Headers.ContentLength, MaxImageBytes, cancellationToken).ConfigureAwait(false);
                if (ImageInfo.SniffFormat(body.Span) == ImageFormat.Unknown)
                    throw new OpenAIImagesException("ImageDownloadFailed", $"What {url.GetLeftPart(UriPartial.Path)} returned is not a PNG, JPEG or WebP image.");
                return body.Span.ToArray();
            }
            catch (HttpRequestException e)
            {
                throw new OpenAITransportException(OpenAITransportException.ConnectionFailed, $"Downloading the image from {url.GetLeftPart(UriPartial.Path)} failed: {e.Message}", inner: e);
            }
            catch (InvalidDataException e)
            {
                throw new OpenAITransportException(OpenAITransportException.ResponseInvalid, $"Downloading the image from {url.GetLeftPart(UriPartial.Path)} failed: {e.Message}", inner: e);
            }
        }
    }
}
