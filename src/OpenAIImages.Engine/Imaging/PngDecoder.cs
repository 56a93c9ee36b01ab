using System;
using System.Runtime.CompilerServices;

namespace OpenAIImages.Engine.Imaging
{
    /// <summary>
    /// Decodes PNG files of every standard color type, bit depth and interlace method. Gamma, color-space and other
    /// ancillary chunks are read past without changing pixel values, as PIL's convert("RGBA") does.
    /// Bad input throws <see cref="ImageDecodeException"/> and nothing else.
    /// </summary>
    public static class PngDecoder
    {
        /// <summary>Decodes to 8-bit RGBA; 16-bit samples keep their high byte.</summary>
        public static unsafe RgbaImage Decode(ReadOnlySpan<byte> png, PngDecoderOptions? options = null)
        {
            var file = PngChunkReader.Read(png, options ?? PngDecoderOptions.Default, deferImageDataCrc: true);
            var header = file.Header;
            // Every path below writes every byte of every pixel (the seven Adam7 passes cover the image exactly
            // once) or throws, so the array need not be zeroed first, and an unfilled one never escapes. It may be
            // the array of an image given back by RgbaImage.ReleasePixels.
            var pixels = PixelArrayPool.Rent(checked((int)(header.PixelCount * 4)));
            // The file stays pinned while its image data is read where it lies, here and by the CRC check.
            fixed (byte* pinned = png)
            {
                // The CRCs of a large image's data are checked on a second core while the data inflates on this one.
                var crcCheck = file.StartDeferredCrcCheck(pinned);
                try
                {
                    using var zlib = new ZlibDataReader(pinned, file);
                    if (header.ColorType == PngColorType.Rgba && header.BitDepth == 8 && !header.Interlaced)
                    {
                        InflateRgba8InPlace(zlib, header, pixels);
                    }
                    else
                    {
                        var sink = new Rgba8Sink(pixels);
                        DecodePixels(zlib, file, ref sink);
                    }
                }
                catch (ImageDecodeException) when (crcCheck is not null)
                {
                    // A chunk whose CRC fails is the file's first fault; what the inflater makes of its bytes comes second.
                    if (crcCheck.Result is { } crcError) throw crcError;
                    throw;
                }
                finally
                {
                    // The check reads the pinned file, which must stay pinned until it is done.
                    crcCheck?.Wait();
                }
                if (crcCheck?.Result is { } error) throw error;
            }
            return new RgbaImage(header.Width, header.Height, pixels);
        }

        /// <summary>Decodes to 16-bit RGBA, keeping full precision; 8-bit and smaller samples are scaled to 0..65535.</summary>
        public static unsafe Rgba16Image DecodeRgba16(ReadOnlySpan<byte> png, PngDecoderOptions? options = null)
        {
            var file = PngChunkReader.Read(png, options ?? PngDecoderOptions.Default);
            var sink = new Rgba16Sink(new ushort[file.Header.PixelCount * 4]);
            fixed (byte* pinned = png)
            {
                using var zlib = new ZlibDataReader(pinned, file);
                DecodePixels(zlib, file, ref sink);
            }
            return new Rgba16Image(file.Header.Width, file.Header.Height, sink.Pixels);
        }

        /// <summary>
        /// 8-bit RGBA without interlacing, the layout of OpenAI's transparent images and of masks, is already the
        /// output layout: each row is inflated straight into its place in the pixel array and unfiltered there against
        /// the row above it, with no row buffer and no copy.
        /// </summary>
        [MethodImpl(HotPath.Optimize)]
        private static void InflateRgba8InPlace(ZlibDataReader zlib, PngHeader header, byte[] pixels)
        {
            int rowBytes = header.Width * 4;
            var firstFilter = new byte[1];
            var zeros = new byte[rowBytes];
            for (int y = 0, at = 0; y < header.Height; y++, at += rowBytes)
            {
                byte filter;
                if (y == 0)
                {
                    zlib.ReadExactly(firstFilter, 1);
                    zlib.ReadExactly(pixels, 0, rowBytes);
                    filter = firstFilter[0];
                }
                else
                {
                    // The row's filter byte is inflated together with the row, into the last byte of the row above,
                    // which is then put back: one inflate call a row instead of two, the second only one byte long.
                    byte kept = pixels[at - 1];
                    zlib.ReadExactly(pixels, at - 1, rowBytes + 1);
                    filter = pixels[at - 1];
                    pixels[at - 1] = kept;
                }
                if (filter > PngFilter.Paeth)
                    throw ImageDecodeException.Corrupt($"Invalid filter type {filter} on row {y}; it must be 0 to 4.");
                PngFilter.Unfilter(filter, pixels.AsSpan(at, rowBytes), y == 0 ? zeros : pixels.AsSpan(at - rowBytes, rowBytes), 4);
            }
            zlib.Finish();
        }

        // Rows are inflated a block of about this many bytes at a time: one inflate call for many short rows, and
        // fewer of the calls' ends, where the inflater leaves its fast loop.
        private const int BlockBytes = 32 * 1024;

        [MethodImpl(HotPath.Optimize)]
        private static void DecodePixels<TSink>(ZlibDataReader zlib, PngFile file, ref TSink sink) where TSink : struct, IPngPixelSink
        {
            var header = file.Header;
            int stride = header.FilterStride;
            int maxRow = (int)header.RowBytes(header.Width);
            int rowsPerBlock = Math.Max(1, BlockBytes / (maxRow + 1));
            var block = new byte[(long)(maxRow + 1) * Math.Min(rowsPerBlock, header.Height)];
            // The row above the block's first row (zeros above a pass's first row).
            var above = new byte[maxRow];
            foreach (var pass in Adam7.Passes(header))
            {
                if (pass.IsEmpty) continue;
                int rowBytes = (int)header.RowBytes(pass.Width);
                int span = rowBytes + 1;
                Array.Clear(above, 0, above.Length);
                for (int first = 0; first < pass.Height; first += rowsPerBlock)
                {
                    int wanted = Math.Min(rowsPerBlock, pass.Height - first) * span;
                    int got = zlib.ReadUpTo(block, 0, wanted);
                    int rows = got / span;
                    for (int j = 0, at = 0; j < rows; j++, at += span)
                    {
                        int y = first + j;
                        byte filter = block[at];
                        if (filter > PngFilter.Paeth)
                            throw ImageDecodeException.Corrupt(header.Interlaced
                                ? $"Invalid filter type {filter} on row {y} of interlace pass {pass.Number}; it must be 0 to 4."
                                : $"Invalid filter type {filter} on row {y}; it must be 0 to 4.");
                        var current = block.AsSpan(at + 1, rowBytes);
                        PngFilter.Unfilter(filter, current, j == 0 ? above.AsSpan(0, rowBytes) : block.AsSpan(at + 1 - span, rowBytes), stride);
                        int imageY = pass.YStart + y * pass.YStep;
                        PngRowConverter.Convert(ref sink, header, file.Palette, file.TransparentColor, current, pass.Width,
                            imageY * header.Width + pass.XStart, pass.XStep);
                    }
                    if (got < wanted) zlib.ThrowShortRead();
                    block.AsSpan((rows - 1) * span + 1, rowBytes).CopyTo(above);
                }
            }
            zlib.Finish();
        }
    }
}
