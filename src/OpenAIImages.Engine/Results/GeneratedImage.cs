using System;
using System.Threading;
using System.Threading.Tasks;
using OpenAIImages.Engine.Files;
using OpenAIImages.Engine.Imaging;

namespace OpenAIImages.Engine.Results
{
    /// <summary>
    /// One image the API returned, the same type from every cmdlet: the decoded bytes (or the URL DALL·E models can
    /// return instead), what was asked and what the server reported, and the path once saved. It pipes into
    /// Edit-OpenAIImage as an input image.
    /// </summary>
    public sealed class GeneratedImage
    {
        /// <summary>The decoded image file (PNG, JPEG or WebP); null while only <see cref="Url"/> is known.</summary>
        public byte[]? Bytes { get; internal set; }

        /// <summary>Where the server keeps the image (DALL·E with response_format url; valid for about 60 minutes).</summary>
        public Uri? Url { get; init; }

        public string? Prompt { get; init; }

        /// <summary>The prompt the model actually used (dall-e-3 on the Images API, every image made through the Responses API).</summary>
        public string? RevisedPrompt { get; init; }

        public string Model { get; init; } = "";
        public ImageOperation Operation { get; init; }

        /// <summary>Pixel size, read from the image itself when the bytes are known, else the size requested.</summary>
        public int? Width { get; internal set; }
        public int? Height { get; internal set; }

        /// <summary>WIDTHxHEIGHT, or null when not known.</summary>
        public string? Size => Width is int w && Height is int h ? $"{w}x{h}" : null;

        public string? Quality { get; init; }
        public string? Background { get; init; }

        /// <summary>png, jpeg or webp: sniffed from the bytes when known, else what the server reported.</summary>
        public string? OutputFormat { get; internal set; }

        /// <summary>0-based position of this image among those one request returned.</summary>
        public int Index { get; init; }

        public DateTimeOffset? Created { get; init; }

        /// <summary>Token usage of the whole request that made this image (shared by its images).</summary>
        public ImageUsage? Usage { get; init; }

        /// <summary>The server's x-request-id, for support requests.</summary>
        public string? RequestId { get; init; }

        /// <summary>The full path of the saved file, once saved.</summary>
        public string? Path { get; internal set; }

        /// <summary>The Responses API response that made this image (resp_...), to continue from; null for the Images API.</summary>
        public string? ResponseId { get; internal set; }

        /// <summary>The image_generation_call item of that response (ig_...).</summary>
        public string? ImageCallId { get; internal set; }

        /// <summary>What the image tool did: generate or edit.</summary>
        public string? Action { get; internal set; }

        /// <summary>The mainline model that called the image tool; an edit piped from this image continues with it.</summary>
        public string? ResponsesModel { get; internal set; }

        /// <summary>False when the response was made with store off, so it cannot be continued.</summary>
        public bool? ResponseStored { get; internal set; }

        /// <summary>True for the partial images of a streamed request.</summary>
        public bool IsPartial { get; init; }
        public int? PartialImageIndex { get; init; }

        /// <summary>The file extension that fits the image's real format.</summary>
        public string FileExtension => ImageFormatOf().FileExtension();

        internal ImageFormat ImageFormatOf()
        {
            if (Bytes != null)
            {
                var sniffed = ImageInfo.SniffFormat(Bytes);
                if (sniffed != ImageFormat.Unknown) return sniffed;
            }
            return OutputFormat switch
            {
                "jpeg" => ImageFormat.Jpeg,
                "webp" => ImageFormat.WebP,
                "png" => ImageFormat.Png,
                _ => Url != null && Url.AbsolutePath.EndsWith(".png", StringComparison.OrdinalIgnoreCase) ? ImageFormat.Png : ImageFormat.Unknown,
            };
        }

        /// <summary>Sets the bytes and what they tell: real format and pixel size.</summary>
        internal void SetBytes(byte[] bytes)
        {
            Bytes = bytes;
            var info = ImageInfo.TryRead(bytes);
            if (info != null)
            {
                Width = info.Width;
                Height = info.Height;
                OutputFormat = info.Format.ApiName();
            }
        }

        /// <summary>
        /// Writes the image to a file that must not exist yet (pass <paramref name="force"/> to replace one), and returns
        /// the full path. A relative path is taken from the process's current directory (PowerShell's Save script
        /// method resolves it against the PowerShell location first). A URL-only image is downloaded first.
        /// </summary>
        public string Save(string path, bool force = false)
        {
            // On the thread pool: a caller's synchronization context must not be what the download waits for.
            return Task.Run(() => SaveAsync(path, force, CancellationToken.None)).GetAwaiter().GetResult();
        }

        /// <summary>
        /// <see cref="Save"/> that a caller can stop: the download of a URL-only image ends at once when
        /// <paramref name="cancellationToken"/> is cancelled, and then nothing is written.
        /// </summary>
        public async Task<string> SaveAsync(string path, bool force, CancellationToken cancellationToken)
        {
            if (path == null) throw new ArgumentNullException(nameof(path));
            string full = System.IO.Path.GetFullPath(path);
            await ImageSaver.EnsureBytesAsync(this, null, cancellationToken).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            Path = SafeFileWriter.Write(full, Bytes!, force);
            return Path;
        }

        public override string ToString() => Path ?? (Url?.ToString()) ?? $"{Model} {Size} {OutputFormat} image {Index}";
    }
}
