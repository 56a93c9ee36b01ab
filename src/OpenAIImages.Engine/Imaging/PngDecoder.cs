using System;

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
        public static RgbaImage Decode(ReadOnlySpan<byte> png, PngDecoderOptions? options = null)
        {
            var file = PngChunkReader.Read(png, options ?? PngDecoderOptions.Default);
            var sink = new Rgba8Sink(new byte[file.Header.PixelCount * 4]);
            DecodePixels(file, ref sink);
            return new RgbaImage(file.Header.Width, file.Header.Height, sink.Pixels);
        }

        /// <summary>Decodes to 16-bit RGBA, keeping full precision; 8-bit and smaller samples are scaled to 0..65535.</summary>
        public static Rgba16Image DecodeRgba16(ReadOnlySpan<byte> png, PngDecoderOptions? options = null)
        {
            var file = PngChunkReader.Read(png, options ?? PngDecoderOptions.Default);
            var sink = new Rgba16Sink(new ushort[file.Header.PixelCount * 4]);
            DecodePixels(file, ref sink);
            return new Rgba16Image(file.Header.Width, file.Header.Height, sink.Pixels);
        }

        private static void DecodePixels<TSink>(PngFile file, ref TSink sink) where TSink : struct, IPngPixelSink
        {
            var header = file.Header;
            int stride = header.FilterStride;
            int maxRow = (int)header.RowBytes(header.Width);
            var row = new byte[maxRow + 1];
            var prior = new byte[maxRow + 1];
            using var zlib = new ZlibDataReader(file.ImageData, Adam7.FilteredDataLength(header));
            foreach (var pass in Adam7.Passes(header))
            {
                if (pass.IsEmpty) continue;
                int rowBytes = (int)header.RowBytes(pass.Width);
                Array.Clear(prior, 0, prior.Length);
                for (int y = 0; y < pass.Height; y++)
                {
                    zlib.ReadExactly(row, rowBytes + 1);
                    byte filter = row[0];
                    if (filter > PngFilter.Paeth)
                        throw ImageDecodeException.Corrupt(header.Interlaced
                            ? $"Invalid filter type {filter} on row {y} of interlace pass {pass.Number}; it must be 0 to 4."
                            : $"Invalid filter type {filter} on row {y}; it must be 0 to 4.");
                    var current = row.AsSpan(1, rowBytes);
                    PngFilter.Unfilter(filter, current, prior.AsSpan(1, rowBytes), stride);
                    int imageY = pass.YStart + y * pass.YStep;
                    PngRowConverter.Convert(ref sink, header, file.Palette, file.TransparentColor, current, pass.Width,
                        imageY * header.Width + pass.XStart, pass.XStep);
                    (row, prior) = (prior, row);
                }
            }
            zlib.Finish();
        }
    }
}
