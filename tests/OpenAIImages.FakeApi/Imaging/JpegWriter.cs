namespace OpenAIImages.FakeApi.Imaging;

/// <summary>
/// A baseline JPEG writer that keeps only the DC coefficient of each 8x8 block, so every block is one flat colour.
/// That is all a stand-in server needs: a file any decoder opens, of any width and height, whose colours follow the
/// pixels it was given. No DCT is needed because a block with zero AC coefficients is its own average.
/// </summary>
public static class JpegWriter
{
    // One quantiser step for every coefficient; with AC always zero only the DC step matters, and 8 makes the stored
    // DC value equal to (block mean - 128) in whole levels.
    private const int QuantStep = 8;

    // JPEG Annex K standard tables. Only the DC tables and the end-of-block AC code are ever used, but writing the
    // standard AC tables keeps the files looking like what any encoder emits.
    private static readonly byte[] DcLumaBits = { 0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0 };
    private static readonly byte[] DcChromaBits = { 0, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0 };
    private static readonly byte[] DcValues = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 };
    private static readonly byte[] AcLumaBits = { 0, 2, 1, 3, 3, 2, 4, 3, 5, 5, 4, 4, 0, 0, 1, 0x7d };
    private static readonly byte[] AcLumaValues =
    {
        0x01, 0x02, 0x03, 0x00, 0x04, 0x11, 0x05, 0x12, 0x21, 0x31, 0x41, 0x06, 0x13, 0x51, 0x61, 0x07,
        0x22, 0x71, 0x14, 0x32, 0x81, 0x91, 0xa1, 0x08, 0x23, 0x42, 0xb1, 0xc1, 0x15, 0x52, 0xd1, 0xf0,
        0x24, 0x33, 0x62, 0x72, 0x82, 0x09, 0x0a, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x25, 0x26, 0x27, 0x28,
        0x29, 0x2a, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3a, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49,
        0x4a, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5a, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69,
        0x6a, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89,
        0x8a, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7,
        0xa8, 0xa9, 0xaa, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xc2, 0xc3, 0xc4, 0xc5,
        0xc6, 0xc7, 0xc8, 0xc9, 0xca, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8, 0xd9, 0xda, 0xe1, 0xe2,
        0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9, 0xea, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8,
        0xf9, 0xfa,
    };
    private static readonly byte[] AcChromaBits = { 0, 2, 1, 2, 4, 4, 3, 4, 7, 5, 4, 4, 0, 1, 2, 0x77 };
    private static readonly byte[] AcChromaValues =
    {
        0x00, 0x01, 0x02, 0x03, 0x11, 0x04, 0x05, 0x21, 0x31, 0x06, 0x12, 0x41, 0x51, 0x07, 0x61, 0x71,
        0x13, 0x22, 0x32, 0x81, 0x08, 0x14, 0x42, 0x91, 0xa1, 0xb1, 0xc1, 0x09, 0x23, 0x33, 0x52, 0xf0,
        0x15, 0x62, 0x72, 0xd1, 0x0a, 0x16, 0x24, 0x34, 0xe1, 0x25, 0xf1, 0x17, 0x18, 0x19, 0x1a, 0x26,
        0x27, 0x28, 0x29, 0x2a, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3a, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48,
        0x49, 0x4a, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5a, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68,
        0x69, 0x6a, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87,
        0x88, 0x89, 0x8a, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0xa2, 0xa3, 0xa4, 0xa5,
        0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xc2, 0xc3,
        0xc4, 0xc5, 0xc6, 0xc7, 0xc8, 0xc9, 0xca, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8, 0xd9, 0xda,
        0xe2, 0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9, 0xea, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8,
        0xf9, 0xfa,
    };

    private static readonly HuffmanTable DcLuma = new(DcLumaBits, DcValues);
    private static readonly HuffmanTable DcChroma = new(DcChromaBits, DcValues);
    private static readonly HuffmanTable AcLuma = new(AcLumaBits, AcLumaValues);
    private static readonly HuffmanTable AcChroma = new(AcChromaBits, AcChromaValues);

    /// <summary>Encodes RGBA8 pixels (alpha ignored: JPEG has none) as a baseline YCbCr 4:4:4 JPEG.</summary>
    public static byte[] Encode(int width, int height, ReadOnlySpan<byte> rgba)
    {
        if (width <= 0 || height <= 0 || width > 65535 || height > 65535)
            throw new ArgumentOutOfRangeException(nameof(width), "JPEG dimensions must be 1..65535.");
        if (rgba.Length != width * height * 4) throw new ArgumentException("Pixel buffer length does not match width x height x 4.", nameof(rgba));

        var output = new MemoryStream();
        WriteHeaders(output, width, height);

        var bits = new JpegBitWriter(output);
        int blocksAcross = (width + 7) / 8, blocksDown = (height + 7) / 8;
        Span<int> previousDc = stackalloc int[3];
        Span<int> dc = stackalloc int[3];
        for (int by = 0; by < blocksDown; by++)
        {
            for (int bx = 0; bx < blocksAcross; bx++)
            {
                BlockDc(rgba, width, height, bx, by, dc);
                for (int c = 0; c < 3; c++)
                {
                    var dcTable = c == 0 ? DcLuma : DcChroma;
                    var acTable = c == 0 ? AcLuma : AcChroma;
                    int diff = dc[c] - previousDc[c];
                    previousDc[c] = dc[c];
                    int category = Category(diff);
                    dcTable.Write(bits, category);
                    if (category > 0)
                    {
                        // Negative differences are sent as the one's complement in 'category' bits.
                        int extra = diff < 0 ? diff + (1 << category) - 1 : diff;
                        bits.Write((uint)extra, category);
                    }
                    acTable.Write(bits, 0x00); // end of block: all 63 AC coefficients are zero
                }
            }
        }
        bits.Flush();
        output.WriteByte(0xFF); output.WriteByte(0xD9);
        return output.ToArray();
    }

    private static void BlockDc(ReadOnlySpan<byte> rgba, int width, int height, int bx, int by, Span<int> dc)
    {
        int x0 = bx * 8, y0 = by * 8, x1 = Math.Min(x0 + 8, width), y1 = Math.Min(y0 + 8, height);
        double r = 0, g = 0, b = 0;
        int count = 0;
        for (int y = y0; y < y1; y++)
        {
            int row = y * width * 4;
            for (int x = x0; x < x1; x++)
            {
                int i = row + x * 4;
                r += rgba[i]; g += rgba[i + 1]; b += rgba[i + 2];
                count++;
            }
        }
        r /= count; g /= count; b /= count;
        double luma = 0.299 * r + 0.587 * g + 0.114 * b;
        double cb = 128 - 0.168736 * r - 0.331264 * g + 0.5 * b;
        double cr = 128 + 0.5 * r - 0.418688 * g - 0.081312 * b;
        // The DC coefficient of an orthonormal 8x8 DCT of a flat block is 8 x (level - 128).
        dc[0] = (int)Math.Round(8 * (luma - 128) / QuantStep);
        dc[1] = (int)Math.Round(8 * (cb - 128) / QuantStep);
        dc[2] = (int)Math.Round(8 * (cr - 128) / QuantStep);
    }

    private static int Category(int value)
    {
        int magnitude = Math.Abs(value), category = 0;
        while (magnitude > 0) { category++; magnitude >>= 1; }
        return category;
    }

    private static void WriteHeaders(Stream output, int width, int height)
    {
        output.Write(new byte[] { 0xFF, 0xD8 });
        // JFIF APP0: version 1.1, no density units, 1:1 aspect, no thumbnail.
        output.Write(new byte[] { 0xFF, 0xE0, 0x00, 0x10, (byte)'J', (byte)'F', (byte)'I', (byte)'F', 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00 });

        output.Write(new byte[] { 0xFF, 0xDB, 0x00, 0x43, 0x00 });
        for (int i = 0; i < 64; i++) output.WriteByte(QuantStep);

        // Baseline frame, three components sampled 1x1 (4:4:4) so one MCU is one 8x8 block of each.
        output.Write(new byte[]
        {
            0xFF, 0xC0, 0x00, 0x11, 0x08,
            (byte)(height >> 8), (byte)height, (byte)(width >> 8), (byte)width,
            0x03, 0x01, 0x11, 0x00, 0x02, 0x11, 0x00, 0x03, 0x11, 0x00,
        });

        WriteHuffmanTable(output, 0x00, DcLumaBits, DcValues);
        WriteHuffmanTable(output, 0x10, AcLumaBits, AcLumaValues);
        WriteHuffmanTable(output, 0x01, DcChromaBits, DcValues);
        WriteHuffmanTable(output, 0x11, AcChromaBits, AcChromaValues);

        output.Write(new byte[] { 0xFF, 0xDA, 0x00, 0x0C, 0x03, 0x01, 0x00, 0x02, 0x11, 0x03, 0x11, 0x00, 0x3F, 0x00 });
    }

    private static void WriteHuffmanTable(Stream output, byte classAndId, byte[] bits, byte[] values)
    {
        int length = 2 + 1 + 16 + values.Length;
        output.Write(new byte[] { 0xFF, 0xC4, (byte)(length >> 8), (byte)length, classAndId });
        output.Write(bits);
        output.Write(values);
    }

    /// <summary>Canonical codes built from a DHT-style (counts per length, symbols) description.</summary>
    private sealed class HuffmanTable
    {
        private readonly ushort[] _codes = new ushort[256];
        private readonly byte[] _lengths = new byte[256];

        public HuffmanTable(byte[] bits, byte[] values)
        {
            int code = 0, k = 0;
            for (int length = 1; length <= 16; length++)
            {
                for (int i = 0; i < bits[length - 1]; i++)
                {
                    _codes[values[k]] = (ushort)code;
                    _lengths[values[k]] = (byte)length;
                    code++; k++;
                }
                code <<= 1;
            }
            if (k != values.Length) throw new InvalidOperationException("Huffman table counts do not match its symbols.");
        }

        public void Write(JpegBitWriter writer, int symbol)
        {
            if (_lengths[symbol] == 0) throw new InvalidOperationException($"Symbol {symbol} has no code.");
            writer.Write(_codes[symbol], _lengths[symbol]);
        }
    }

    /// <summary>MSB-first bit packing with the 0xFF 0x00 byte stuffing entropy-coded JPEG data needs.</summary>
    private sealed class JpegBitWriter
    {
        private readonly Stream _output;
        private uint _buffer;
        private int _count;

        public JpegBitWriter(Stream output) => _output = output;

        public void Write(uint value, int length)
        {
            for (int i = length - 1; i >= 0; i--)
            {
                _buffer = (_buffer << 1) | ((value >> i) & 1);
                if (++_count == 8) Emit();
            }
        }

        public void Flush()
        {
            // Pad the last byte with one-bits, as the standard asks.
            while (_count != 0) { _buffer = (_buffer << 1) | 1; if (++_count == 8) Emit(); }
        }

        private void Emit()
        {
            byte b = (byte)_buffer;
            _output.WriteByte(b);
            if (b == 0xFF) _output.WriteByte(0x00);
            _buffer = 0; _count = 0;
        }
    }
}
