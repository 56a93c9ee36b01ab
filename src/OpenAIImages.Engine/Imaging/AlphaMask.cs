using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace OpenAIImages.Engine.Imaging
{
    /// <summary>
    /// Turns a black-and-white mask into the PNG-with-alpha the image edits endpoint wants, following OpenAI's
    /// published recipe: mask = Image.open(path).convert("L"); rgba = mask.convert("RGBA"); rgba.putalpha(mask).
    /// Every output pixel has R = G = B = A = L, the mask's gray level computed exactly as PIL computes it (the
    /// input's own alpha is ignored, as PIL ignores it). White stays opaque and is kept; black becomes
    /// transparent, which tells the endpoint to edit there. One deliberate difference: a 16-bit grayscale mask
    /// uses the high byte of each level, where PIL clips every level above 255 to white.
    /// </summary>
    public static class AlphaMask
    {
        /// <summary>
        /// The most pixels a mask may have, read or made: 4096x4096, or any other shape of as many. The largest image
        /// the API makes is 3840x2160, so no mask it can use is larger. The limit is what bounds memory: the input is
        /// refused from its header, before any pixel buffer exists, and a call peaks at about 6 bytes a pixel (RGBA
        /// pixels, gray levels, the PNG written), some 100 MiB at the limit.
        /// </summary>
        public const long MaxPixels = 4096L * 4096;

        private static readonly PngCodec MaskCodec = new PngCodec(new PngDecoderOptions { MaxPixelCount = MaxPixels });

        /// <summary>Converts a mask file to PNG bytes. Only PNG input is read; JPEG and WebP are refused with advice.</summary>
        public static byte[] ToPng(ReadOnlySpan<byte> maskFile, AlphaMaskOptions? options = null, IRgbaImageCodec? codec = null)
        {
            codec ??= MaskCodec;
            if (options?.Width is int width && options.Height is int height && (long)width * height > MaxPixels)
                throw new ImageDecodeException(ImageDecodeFailure.LimitExceeded,
                    $"A mask of {width}x{height} ({(long)width * height:N0} pixels) is more than the limit of {MaxPixels:N0} pixels (4096x4096). Ask for a smaller size.");
            var format = ImageInfo.SniffFormat(maskFile);
            if (format != codec.Format)
            {
                string what = format == ImageFormat.Unknown ? "not an image format this module recognizes" : $"a {format.DisplayName()} image";
                string wanted = codec.Format.DisplayName();
                throw new ImageDecodeException(ImageDecodeFailure.UnsupportedFormat,
                    $"The mask is {what}; masks are read only as {wanted}. Save the mask as a {wanted} file and try again.", errorId: ErrorIds.MaskFormatUnsupported);
            }
            // The decoded pixels belong to this call alone, so they can become the output: no second 4-bytes-a-pixel
            // buffer. Once encoded they go back to the decoder, for the next mask of the same size.
            var decoded = codec.Decode(maskFile);
            try
            {
                return codec.Encode(ToImage(decoded, options, reuseInput: true));
            }
            finally
            {
                decoded.ReleasePixels();
            }
        }

        public static byte[] ToPng(RgbaImage mask, AlphaMaskOptions? options = null) => PngEncoder.Encode(ToImage(mask, options));

        /// <summary>The converted mask as pixels.</summary>
        public static RgbaImage ToImage(RgbaImage mask, AlphaMaskOptions? options = null) => ToImage(mask, options, reuseInput: false);

        /// <summary>
        /// With <paramref name="reuseInput"/>, a mask kept at its size is converted in its own pixel buffer, one pixel at
        /// a time (each output pixel depends only on the same input pixel), and returned: a 4096x4096 mask then needs
        /// one 64 MiB buffer instead of that plus a 16 MiB gray copy and a second 64 MiB buffer.
        /// </summary>
        private static RgbaImage ToImage(RgbaImage mask, AlphaMaskOptions? options, bool reuseInput)
        {
            if (mask is null) throw new ArgumentNullException(nameof(mask));
            options ??= AlphaMaskOptions.Default;
            var (width, height) = TargetSize(mask, options);
            if (reuseInput && width == mask.Width && height == mask.Height)
            {
                ConvertInPlace(mask.Pixels, Levels(options));
                return mask;
            }

            var gray = new byte[(long)mask.Width * mask.Height];
            Luminance.FromRgba(mask.Pixels, gray);
            if (width != mask.Width || height != mask.Height)
                gray = GrayResampler.Resize(gray, mask.Width, mask.Height, width, height, options.Resampling);

            byte[] levels = Levels(options);
            var rgba = new byte[(long)width * height * 4];
            Expand(gray, levels, rgba);
            return new RgbaImage(width, height, rgba);
        }

        private static (int Width, int Height) TargetSize(RgbaImage mask, AlphaMaskOptions options)
        {
            if (options.Threshold is int t && (t < 0 || t > 255))
                throw new ArgumentOutOfRangeException(nameof(options), t, "Threshold must be 0 to 255.");
            if (options.Resampling != MaskResampling.Nearest && options.Resampling != MaskResampling.Bilinear)
                throw new ArgumentOutOfRangeException(nameof(options), options.Resampling, "Unknown resampling.");
            if (options.Width is null && options.Height is null) return (mask.Width, mask.Height);
            if (options.Width is not int w || options.Height is not int h)
                throw new ArgumentException("Set both Width and Height to resize the mask, or neither.", nameof(options));
            if (w <= 0 || h <= 0) throw new ArgumentOutOfRangeException(nameof(options), $"{w}x{h}", "Width and Height must be positive.");
            return (w, h);
        }

        /// <summary>What each gray level becomes after threshold and invert, as a lookup table.</summary>
        private static byte[] Levels(AlphaMaskOptions options)
        {
            var table = new byte[256];
            for (int level = 0; level < 256; level++)
            {
                int v = options.Threshold is int t ? (level >= t ? 255 : 0) : level;
                table[level] = (byte)(options.Invert ? 255 - v : v);
            }
            return table;
        }

        [MethodImpl(HotPath.Optimize)]
        private static unsafe void ConvertInPlace(byte[] rgba, byte[] levels)
        {
            int count = rgba.Length / 4;
            fixed (byte* pixels = rgba)
            {
                // Each pixel's gray level is read before its own four bytes are overwritten, and no other pixel is read.
                uint* words = (uint*)pixels;
                byte* p = pixels;
                for (int i = 0; i < count; i++, p += 4)
                    words[i] = levels[Luminance.Of(p[0], p[1], p[2])] * 0x01010101u;
            }
        }

        [MethodImpl(HotPath.Optimize)]
        private static void Expand(ReadOnlySpan<byte> gray, byte[] levels, Span<byte> rgba)
        {
            // All four bytes of a pixel are equal, so a 32-bit store per pixel is right on any byte order.
            var words = MemoryMarshal.Cast<byte, uint>(rgba);
            for (int i = 0; i < gray.Length; i++) words[i] = levels[gray[i]] * 0x01010101u;
        }
    }
}
