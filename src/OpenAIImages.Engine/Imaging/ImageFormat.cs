namespace OpenAIImages.Engine.Imaging
{
    /// <summary>An image container format, as sniffed from its first bytes.</summary>
    public enum ImageFormat
    {
        Unknown = 0,
        Png,
        Jpeg,
        WebP,
    }

    public static class ImageFormatExtensions
    {
        /// <summary>The file extension (with dot) for a format.</summary>
        public static string FileExtension(this ImageFormat format) => format switch
        {
            ImageFormat.Png => ".png",
            ImageFormat.Jpeg => ".jpg",
            ImageFormat.WebP => ".webp",
            _ => ".bin",
        };

        /// <summary>The name people use for a format, for messages.</summary>
        public static string DisplayName(this ImageFormat format) => format switch
        {
            ImageFormat.Png => "PNG",
            ImageFormat.Jpeg => "JPEG",
            ImageFormat.WebP => "WebP",
            _ => "unknown",
        };

        /// <summary>The MIME type for a format.</summary>
        public static string MediaType(this ImageFormat format) => format switch
        {
            ImageFormat.Png => "image/png",
            ImageFormat.Jpeg => "image/jpeg",
            ImageFormat.WebP => "image/webp",
            _ => "application/octet-stream",
        };

        /// <summary>The API's output_format word for a format.</summary>
        public static string? ApiName(this ImageFormat format) => format switch
        {
            ImageFormat.Png => "png",
            ImageFormat.Jpeg => "jpeg",
            ImageFormat.WebP => "webp",
            _ => null,
        };
    }
}
