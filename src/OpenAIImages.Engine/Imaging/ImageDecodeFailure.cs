namespace OpenAIImages.Engine.Imaging
{
    /// <summary>Why an image could not be decoded, so callers can pick an error category without parsing messages.</summary>
    public enum ImageDecodeFailure
    {
        /// <summary>The bytes break the format's rules: bad checksum, invalid header value, bad filter type.</summary>
        Corrupt = 0,

        /// <summary>The data stops before the image is complete.</summary>
        Truncated,

        /// <summary>The image is valid but larger than the decoder was allowed to handle.</summary>
        LimitExceeded,

        /// <summary>The data is not a format this decoder reads (for example a JPEG given to the PNG decoder).</summary>
        UnsupportedFormat,
    }
}
