using System;

namespace OpenAIImages.Engine.Imaging
{
    /// <summary>
    /// Checks an image's structure beyond its header, before it is uploaded: a file the server would refuse as
    /// invalid_image_format is refused here, unpaid. Nothing is decoded to pixels. A PNG's chunks and CRCs are walked
    /// and its image data inflated through a small buffer, stopping at the length its header declares, so a file
    /// that claims 10000x10000 pixels, or inflates past its size, costs no memory. JPEG and WebP get their container
    /// structure checked: markers and segment lengths, RIFF chunk sizes, and that nothing is cut short.
    /// Bad input throws <see cref="ImageDecodeException"/> (ImageCorrupt).
    /// </summary>
    public static class ImageIntegrity
    {
        // The chunk walk must not refuse a large but honest upload: the limits that matter are the API's byte limits.
        private static readonly PngDecoderOptions Unlimited = new PngDecoderOptions { MaxPixelCount = long.MaxValue, MaxDecompressedBytes = long.MaxValue };

        public static void Check(byte[] data)
        {
            switch (ImageInfo.SniffFormat(data))
            {
                case ImageFormat.Png:
                    CheckPng(data);
                    break;
                case ImageFormat.Jpeg:
                    CheckJpeg(data);
                    break;
                case ImageFormat.WebP:
                    CheckWebP(data);
                    break;
            }
        }

        /// <summary>
        /// The cheap part of the check, for images that come back from the server, where a full check would cost time
        /// on every result: the container ends where it should (a PNG's IEND, a JPEG's end marker, a WebP's RIFF
        /// size), so an answer cut short is never saved as an image.
        /// </summary>
        public static void CheckEnd(byte[] data)
        {
            switch (ImageInfo.SniffFormat(data))
            {
                case ImageFormat.Png:
                    // The IEND chunk: length 0, type IEND, and its fixed CRC.
                    if (data.Length < 20 || !data.AsSpan(data.Length - 12).SequenceEqual(new byte[] { 0, 0, 0, 0, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82 }))
                        throw ImageDecodeException.Truncated("The PNG does not end with its IEND chunk: it is cut short.");
                    break;
                case ImageFormat.Jpeg:
                    if (data.Length < 4 || data[data.Length - 2] != 0xFF || data[data.Length - 1] != 0xD9)
                        throw ImageDecodeException.Truncated("The JPEG does not end with its end marker: it is cut short.");
                    break;
                case ImageFormat.WebP:
                    long declared = 8 + ReadUInt32LittleEndian(data, 4);
                    if (declared > data.Length) throw ImageDecodeException.Truncated($"The WebP declares {declared:N0} bytes and has {data.Length:N0}: it is cut short.");
                    break;
            }
        }

        private static unsafe void CheckPng(byte[] data)
        {
            var file = PngChunkReader.Read(data, Unlimited);
            long expected = Adam7.FilteredDataLength(file.Header);
            var buffer = new byte[(int)Math.Min(expected, 64 * 1024)];
            fixed (byte* pinned = data)
            {
                using var zlib = new ZlibDataReader(pinned, file);
                for (long left = expected; left > 0; left -= buffer.Length)
                    zlib.ReadExactly(buffer, (int)Math.Min(left, buffer.Length));
                zlib.Finish();
            }
        }

        private static void CheckJpeg(byte[] data)
        {
            int position = 2;
            bool frame = false;
            while (true)
            {
                if (position + 2 > data.Length) throw ImageDecodeException.Truncated($"JPEG truncated: the file ends after {data.Length:N0} bytes, before its end marker.");
                if (data[position] != 0xFF) throw ImageDecodeException.Corrupt($"JPEG damaged: a marker was expected at offset {position:N0}.");
                byte marker = data[position + 1];
                if (marker == 0xFF)
                {
                    position++; // fill byte
                    continue;
                }
                position += 2;
                if (marker == 0xD9) throw ImageDecodeException.Corrupt("JPEG damaged: it ends before any image data.");
                if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) continue;
                if (position + 2 > data.Length) throw ImageDecodeException.Truncated("JPEG truncated inside a segment header.");
                int length = (data[position] << 8) | data[position + 1];
                if (length < 2) throw ImageDecodeException.Corrupt($"JPEG damaged: a segment at offset {position:N0} declares {length} bytes.");
                if (position + length > data.Length) throw ImageDecodeException.Truncated($"JPEG truncated: a segment declares {length:N0} bytes, and {data.Length - position:N0} remain.");
                // SOF0..SOF15 describe the frame; C4 (DHT), C8 (JPG) and CC (DAC) share the range but are not frames.
                if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC) frame = true;
                position += length;
                if (marker != 0xDA) continue;
                if (!frame) throw ImageDecodeException.Corrupt("JPEG damaged: its scan comes before any frame header.");
                // Entropy-coded data runs to the next marker that is neither a stuffed 0xFF00 nor a restart marker.
                while (true)
                {
                    int next = Array.IndexOf(data, (byte)0xFF, position);
                    if (next < 0 || next + 1 >= data.Length) throw ImageDecodeException.Truncated("JPEG truncated: the image data stops before the end marker.");
                    byte following = data[next + 1];
                    if (following == 0x00 || following == 0xFF || (following >= 0xD0 && following <= 0xD7))
                    {
                        position = following == 0xFF ? next + 1 : next + 2;
                        continue;
                    }
                    if (following == 0xD9) return;
                    position = next;
                    break;
                }
            }
        }

        private static void CheckWebP(byte[] data)
        {
            long declared = ReadUInt32LittleEndian(data, 4);
            if (declared < 4) throw ImageDecodeException.Corrupt($"WebP damaged: its RIFF header declares {declared} bytes.");
            if (8 + declared > data.Length)
                throw ImageDecodeException.Truncated($"WebP truncated: its RIFF header declares {8 + declared:N0} bytes, and the file has {data.Length:N0}.");
            long end = 8 + declared;
            long position = 12;
            bool first = true;
            while (position < end)
            {
                if (position + 8 > end) throw ImageDecodeException.Corrupt($"WebP damaged: a chunk header at offset {position:N0} runs past the RIFF data.");
                string fourCc = System.Text.Encoding.ASCII.GetString(data, (int)position, 4);
                long size = ReadUInt32LittleEndian(data, (int)position + 4);
                if (first && fourCc != "VP8 " && fourCc != "VP8L" && fourCc != "VP8X")
                    throw ImageDecodeException.Corrupt($"WebP damaged: it starts with a '{fourCc}' chunk instead of VP8, VP8L or VP8X.");
                first = false;
                long next = position + 8 + size + (size & 1);
                // The pad byte after an odd-sized last chunk is often left out; the chunk's own data must all be there.
                if (position + 8 + size > end) throw ImageDecodeException.Truncated($"WebP truncated: the '{fourCc}' chunk declares {size:N0} bytes, and {end - position - 8:N0} remain.");
                position = next;
            }
            if (first) throw ImageDecodeException.Corrupt("WebP damaged: it holds no image chunk.");
        }

        private static long ReadUInt32LittleEndian(byte[] data, int offset) =>
            data[offset] | ((long)data[offset + 1] << 8) | ((long)data[offset + 2] << 16) | ((long)data[offset + 3] << 24);
    }
}
