using System;
using System.IO;
using OpenAIImages.Engine.Imaging;
using OpenAIImages.Engine.Validation;

namespace OpenAIImages.Engine.Requests
{
    /// <summary>
    /// An image to upload: its bytes, a name for messages and for the multipart file name, and what its headers say.
    /// The format is sniffed from the bytes; the file extension is never trusted.
    /// </summary>
    public sealed class ImageInput
    {
        public byte[] Data { get; }

        /// <summary>Where the image came from, for messages: a path, or a description such as "image 2 from the pipeline".</summary>
        public string Source { get; }

        /// <summary>The headers' facts, or null when the data is not a PNG, JPEG or WebP image.</summary>
        public ImageInfo? Info { get; }

        public ImageFormat Format => Info?.Format ?? ImageFormat.Unknown;

        /// <summary>Set once its structure was checked, so a mask sent with many edits is checked once.</summary>
        internal bool IsIntact { get; set; }

        public ImageInput(byte[] data, string source)
        {
            Data = data ?? throw new ArgumentNullException(nameof(data));
            Source = string.IsNullOrEmpty(source) ? "image" : source;
            Info = ImageInfo.TryRead(data);
        }

        /// <summary>Reads a file; a missing one is <c>ImageNotFound</c>.</summary>
        public static ImageInput FromFile(string fullPath)
        {
            try
            {
                return new ImageInput(File.ReadAllBytes(fullPath), fullPath);
            }
            catch (Exception e) when (e is FileNotFoundException || e is DirectoryNotFoundException)
            {
                throw new ImageRequestException(ErrorIds.ImageNotFound, $"The image file '{fullPath}' does not exist.", "image");
            }
        }

        /// <summary>
        /// The multipart file name: the source's base name in plain ASCII (part headers are not reliably UTF-8 on the
        /// wire) with the extension of the real format.
        /// </summary>
        public string UploadFileName
        {
            get
            {
                string name;
                try
                {
                    name = Path.GetFileNameWithoutExtension(Source) ?? "";
                }
                catch (ArgumentException)
                {
                    name = "";
                }
                var builder = new System.Text.StringBuilder(name.Length);
                foreach (char c in name)
                {
                    bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
                    builder.Append(plain ? c : '_');
                }
                string stem = builder.ToString().Trim('.', '_');
                return (stem.Length == 0 ? "image" : stem) + Format.FileExtension();
            }
        }

        public override string ToString() => Source;
    }

    /// <summary>An image the server fetches itself, for JSON edits: a URL (https or data:) or an uploaded file's id.</summary>
    public sealed class ImageReference
    {
        public string? ImageUrl { get; }
        public string? FileId { get; }

        private ImageReference(string? url, string? fileId)
        {
            ImageUrl = url;
            FileId = fileId;
        }

        public static ImageReference FromUrl(string url) => new ImageReference(url ?? throw new ArgumentNullException(nameof(url)), null);
        public static ImageReference FromFileId(string fileId) => new ImageReference(null, fileId ?? throw new ArgumentNullException(nameof(fileId)));

        public override string ToString() => ImageUrl != null ? (ImageUrl.StartsWith("data:", StringComparison.OrdinalIgnoreCase) ? "data URL" : ImageUrl) : "file " + FileId;
    }
}
