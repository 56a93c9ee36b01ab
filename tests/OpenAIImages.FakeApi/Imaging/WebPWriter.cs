using System.Buffers.Binary;

namespace OpenAIImages.FakeApi.Imaging;

/// <summary>
/// A lossless WebP (VP8L) writer with fixed prefix codes: every literal channel value costs 8 bits (9 for green),
/// and runs are sent as backward references to the pixel on the left or the pixel above. No transforms and no
/// colour cache, so the format stays simple enough to check by eye, yet the flat tiles the renderer draws compress
/// to a few kilobytes and any RGBA picture (an edited upload, say) round-trips exactly.
/// </summary>
public static class WebPWriter
{
    private const int LiteralCount = 256;
    private const int LengthPrefixCount = 24;
    private const int GreenAlphabet = LiteralCount + LengthPrefixCount; // no colour cache
    private const int MaxCopyLength = 4096;
    private const int MinCopyLength = 3;

    // Distance codes 1 and 2 are the first two entries of the VP8L neighbourhood map: (0,1) the pixel above and
    // (1,0) the pixel to the left. Both have prefix symbols with no extra bits.
    private const int DistanceSymbolAbove = 0;
    private const int DistanceSymbolLeft = 1;

    private static readonly int[] CodeLengthOrder = { 17, 18, 0, 1, 2, 3, 4, 5, 16, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15 };

    // Green: literals get 9 bits (half the code space), the 24 length prefixes share the other half
    // (8 of 5 bits and 16 of 6 bits), which is a complete prefix code.
    private static readonly byte[] GreenLengths = BuildGreenLengths();
    private static readonly CanonicalCode GreenCode = new(GreenLengths);
    private static readonly CanonicalCode ByteCode = new(Enumerable.Repeat((byte)8, LiteralCount).ToArray());

    /// <summary>Encodes RGBA8 pixels (row-major) as a lossless WebP file.</summary>
    public static byte[] Encode(int width, int height, ReadOnlySpan<byte> rgba)
    {
        if (width <= 0 || height <= 0 || width > 16384 || height > 16384)
            throw new ArgumentOutOfRangeException(nameof(width), "WebP dimensions must be 1..16384.");
        if (rgba.Length != width * height * 4) throw new ArgumentException("Pixel buffer length does not match width x height x 4.", nameof(rgba));

        int count = width * height;
        var argb = new uint[count];
        bool alphaUsed = false;
        for (int i = 0; i < count; i++)
        {
            byte a = rgba[i * 4 + 3];
            alphaUsed |= a != 255;
            argb[i] = ((uint)a << 24) | ((uint)rgba[i * 4] << 16) | ((uint)rgba[i * 4 + 1] << 8) | rgba[i * 4 + 2];
        }

        var bits = new LsbBitWriter();
        bits.Write((uint)(width - 1), 14);
        bits.Write((uint)(height - 1), 14);
        bits.Write(alphaUsed ? 1u : 0u, 1);
        bits.Write(0, 3);  // version
        bits.Write(0, 1);  // no transforms
        bits.Write(0, 1);  // no colour cache
        bits.Write(0, 1);  // one prefix-code group for the whole image

        WriteNormalCode(bits, GreenLengths);
        // Red, blue and alpha: a single-value channel (alpha of an opaque image, usually) costs no bits at all.
        int? red = SingleValue(argb, 16), blue = SingleValue(argb, 0), alpha = SingleValue(argb, 24);
        WriteChannelCode(bits, red);
        WriteChannelCode(bits, blue);
        WriteChannelCode(bits, alpha);
        // Distance: a simple code of the two symbols used, one bit each.
        bits.Write(1, 1); bits.Write(1, 1); bits.Write(0, 1);
        bits.Write(DistanceSymbolAbove, 1);
        bits.Write(DistanceSymbolLeft, 8);

        WritePixels(bits, argb, width, red.HasValue, blue.HasValue, alpha.HasValue);
        return WrapInRiff(bits.ToArray());
    }

    private static void WritePixels(LsbBitWriter bits, uint[] argb, int width, bool redFixed, bool blueFixed, bool alphaFixed)
    {
        int p = 0;
        while (p < argb.Length)
        {
            int above = 0, left = 0;
            if (p >= width)
                while (p + above < argb.Length && argb[p + above] == argb[p + above - width]) above++;
            if (p > 0)
                while (p + left < argb.Length && argb[p + left] == argb[p - 1]) left++;

            int run = Math.Max(above, left);
            if (run >= MinCopyLength)
            {
                int symbol = above >= left ? DistanceSymbolAbove : DistanceSymbolLeft;
                while (run > 0)
                {
                    int chunk = Math.Min(run, MaxCopyLength);
                    WriteLength(bits, chunk);
                    bits.Write((uint)symbol, 1);
                    run -= chunk; p += chunk;
                }
                continue;
            }

            uint pixel = argb[p];
            GreenCode.Write(bits, (int)((pixel >> 8) & 0xFF));
            if (!redFixed) ByteCode.Write(bits, (int)((pixel >> 16) & 0xFF));
            if (!blueFixed) ByteCode.Write(bits, (int)(pixel & 0xFF));
            if (!alphaFixed) ByteCode.Write(bits, (int)(pixel >> 24));
            p++;
        }
    }

    /// <summary>VP8L's prefix coding of a value 1..4096: a symbol for the magnitude plus raw extra bits.</summary>
    private static void WriteLength(LsbBitWriter bits, int length)
    {
        int v = length - 1;
        if (v < 4)
        {
            GreenCode.Write(bits, LiteralCount + v);
            return;
        }
        int highBit = 31 - System.Numerics.BitOperations.LeadingZeroCount((uint)v);
        int second = (v >> (highBit - 1)) & 1;
        int extraBits = highBit - 1;
        GreenCode.Write(bits, LiteralCount + 2 * highBit + second);
        bits.Write((uint)(v & ((1 << extraBits) - 1)), extraBits);
    }

    private static int? SingleValue(uint[] argb, int shift)
    {
        uint first = (argb[0] >> shift) & 0xFF;
        foreach (uint pixel in argb)
            if (((pixel >> shift) & 0xFF) != first) return null;
        return (int)first;
    }

    private static void WriteChannelCode(LsbBitWriter bits, int? singleValue)
    {
        if (singleValue is int value)
        {
            bits.Write(1, 1);  // simple code
            bits.Write(0, 1);  // one symbol
            if (value < 2) { bits.Write(0, 1); bits.Write((uint)value, 1); }
            else { bits.Write(1, 1); bits.Write((uint)value, 8); }
            return;
        }
        WriteNormalCode(bits, ByteCode.Lengths);
    }

    /// <summary>Writes code lengths through a code-length code in which each distinct length used gets a short code.</summary>
    private static void WriteNormalCode(LsbBitWriter bits, byte[] lengths)
    {
        var distinct = lengths.Distinct().OrderBy(l => l).ToArray();
        // Give the code-length code two or more symbols so it is a complete prefix code; a lone length is paired
        // with an unused one.
        if (distinct.Length == 1) distinct = new[] { distinct[0], (byte)(distinct[0] == 0 ? 1 : 0) };
        var metaLengths = new byte[19];
        var byFrequency = distinct.OrderByDescending(l => lengths.Count(x => x == l)).ToArray();
        // Lengths 1, 2, 3, ... then the last two share the deepest level: complete for any number of symbols.
        for (int i = 0; i < byFrequency.Length; i++)
            metaLengths[byFrequency[i]] = (byte)Math.Min(i + 1, byFrequency.Length - 1);
        if (byFrequency.Length == 2) { metaLengths[byFrequency[0]] = 1; metaLengths[byFrequency[1]] = 1; }

        int used = 0;
        for (int i = 0; i < CodeLengthOrder.Length; i++)
            if (metaLengths[CodeLengthOrder[i]] != 0) used = i + 1;
        used = Math.Max(used, 4);

        bits.Write(0, 1);  // normal code
        bits.Write((uint)(used - 4), 4);
        for (int i = 0; i < used; i++) bits.Write(metaLengths[CodeLengthOrder[i]], 3);
        bits.Write(0, 1);  // code lengths for the whole alphabet follow

        var metaCode = new CanonicalCode(metaLengths);
        foreach (byte length in lengths) metaCode.Write(bits, length);
    }

    private static byte[] BuildGreenLengths()
    {
        var lengths = new byte[GreenAlphabet];
        for (int i = 0; i < LiteralCount; i++) lengths[i] = 9;
        for (int i = 0; i < 8; i++) lengths[LiteralCount + i] = 5;
        for (int i = 8; i < LengthPrefixCount; i++) lengths[LiteralCount + i] = 6;
        return lengths;
    }

    private static byte[] WrapInRiff(byte[] bitstream)
    {
        int chunkSize = 1 + bitstream.Length;
        int padded = chunkSize + (chunkSize & 1);
        var file = new byte[12 + 8 + padded];
        "RIFF"u8.CopyTo(file);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(4), (uint)(file.Length - 8));
        "WEBPVP8L"u8.CopyTo(file.AsSpan(8));
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(16), (uint)chunkSize);
        file[20] = 0x2F; // VP8L signature
        bitstream.CopyTo(file, 21);
        return file;
    }

    /// <summary>A canonical prefix code (shorter codes first, then by symbol), written MSB-first into the LSB-first stream.</summary>
    private sealed class CanonicalCode
    {
        private readonly uint[] _reversedCodes;
        public byte[] Lengths { get; }

        public CanonicalCode(byte[] lengths)
        {
            Lengths = lengths;
            _reversedCodes = new uint[lengths.Length];
            var countPerLength = new int[16];
            foreach (byte l in lengths) if (l > 0) countPerLength[l]++;
            var next = new int[16];
            int code = 0;
            for (int bitsLength = 1; bitsLength < 16; bitsLength++)
            {
                code = (code + countPerLength[bitsLength - 1]) << 1;
                next[bitsLength] = code;
            }
            for (int symbol = 0; symbol < lengths.Length; symbol++)
            {
                int l = lengths[symbol];
                if (l == 0) continue;
                _reversedCodes[symbol] = Reverse((uint)next[l]++, l);
            }
        }

        public void Write(LsbBitWriter bits, int symbol)
        {
            int length = Lengths[symbol];
            if (length == 0) throw new InvalidOperationException($"Symbol {symbol} has no code.");
            bits.Write(_reversedCodes[symbol], length);
        }

        private static uint Reverse(uint code, int length)
        {
            uint result = 0;
            for (int i = 0; i < length; i++) { result = (result << 1) | (code & 1); code >>= 1; }
            return result;
        }
    }

    private sealed class LsbBitWriter
    {
        private readonly MemoryStream _bytes = new();
        private ulong _buffer;
        private int _count;

        public void Write(uint value, int length)
        {
            if (length == 0) return;
            _buffer |= ((ulong)value & ((1UL << length) - 1)) << _count;
            _count += length;
            while (_count >= 8)
            {
                _bytes.WriteByte((byte)_buffer);
                _buffer >>= 8;
                _count -= 8;
            }
        }

        public byte[] ToArray()
        {
            if (_count > 0) { _bytes.WriteByte((byte)_buffer); _buffer = 0; _count = 0; }
            return _bytes.ToArray();
        }
    }
}
