using System;
using System.Runtime.CompilerServices;
using System.Numerics;
using System.Runtime.InteropServices;

namespace OpenAIImages.Engine.Imaging
{
    /// <summary>
    /// The filters' hot loops with System.Numerics.Vector: the encoder's adaptive filtering tries five filters on
    /// every row and scores each, so these run over five times the image size. Each has a scalar tail (and a scalar path where
    /// vectors are not hardware accelerated) that computes the same bytes.
    /// </summary>
    internal static class PngFilterVectors
    {
        // Each Apply function writes output[start..row.Length) only; the encoder filters a row a block at a time so that
        // it can stop trying a filter as soon as it cannot win.

        /// <summary>output[i] = row[i] - other[i - lag] (0 where i &lt; lag): the Sub filter with other = row, Up with lag 0.</summary>
        [MethodImpl(HotPath.Optimize)]
        public static void Subtract(ReadOnlySpan<byte> row, ReadOnlySpan<byte> other, int lag, Span<byte> output, int start = 0)
        {
            int n = row.Length, head = Math.Min(lag, n);
            if (start < head) row.Slice(start, head - start).CopyTo(output.Slice(start));
            int i = Math.Max(head, start), width = Vector<byte>.Count;
            if (Vector.IsHardwareAccelerated)
                for (; i + width <= n; i += width)
                {
                    var v = MemoryMarshal.Read<Vector<byte>>(row.Slice(i)) - MemoryMarshal.Read<Vector<byte>>(other.Slice(i - lag));
                    MemoryMarshal.Write(output.Slice(i), ref v);
                }
            for (; i < n; i++) output[i] = (byte)(row[i] - other[i - lag]);
        }

        /// <summary>row[i] += other[i]: undoing the Up filter.</summary>
        [MethodImpl(HotPath.Optimize)]
        public static void Add(Span<byte> row, ReadOnlySpan<byte> other)
        {
            int n = row.Length, i = 0, width = Vector<byte>.Count;
            if (Vector.IsHardwareAccelerated)
                for (; i + width <= n; i += width)
                {
                    var v = MemoryMarshal.Read<Vector<byte>>(row.Slice(i)) + MemoryMarshal.Read<Vector<byte>>(other.Slice(i));
                    MemoryMarshal.Write(row.Slice(i), ref v);
                }
            for (; i < n; i++) row[i] = (byte)(row[i] + other[i]);
        }

        /// <summary>
        /// The Average filter, eight bytes at a time in a 64-bit word: System.Numerics.Vector has no byte shift,
        /// and both the halving and the subtraction can be kept inside each byte with masks.
        /// </summary>
        [MethodImpl(HotPath.Optimize)]
        public static void ApplyAverage(ReadOnlySpan<byte> row, ReadOnlySpan<byte> prior, int stride, Span<byte> output, int start = 0)
        {
            const ulong HighBits = 0x8080808080808080UL, LowSevenBits = 0x7F7F7F7F7F7F7F7FUL;
            int n = row.Length, head = Math.Min(stride, n);
            for (int k = start; k < head; k++) output[k] = (byte)(row[k] - (prior[k] >> 1));
            int i = Math.Max(head, start);
            for (; i + 8 <= n; i += 8)
            {
                ulong left = MemoryMarshal.Read<ulong>(row.Slice(i - stride));
                ulong above = MemoryMarshal.Read<ulong>(prior.Slice(i));
                ulong x = MemoryMarshal.Read<ulong>(row.Slice(i));
                // floor((a + b) / 2) = (a & b) + ((a ^ b) >> 1), with the bit shifted in from the next byte masked off.
                ulong mean = (left & above) + (((left ^ above) >> 1) & LowSevenBits);
                // Bytewise x - mean with no borrow crossing into the next byte.
                ulong difference = ((x | HighBits) - (mean & ~HighBits)) ^ ((x ^ ~mean) & HighBits);
                MemoryMarshal.Write(output.Slice(i), ref difference);
            }
            for (; i < n; i++) output[i] = (byte)(row[i] - ((row[i - stride] + prior[i]) >> 1));
        }

        [MethodImpl(HotPath.Optimize)]
        public static void ApplyPaeth(ReadOnlySpan<byte> row, ReadOnlySpan<byte> prior, int stride, Span<byte> output, int start = 0)
        {
            int n = row.Length, head = Math.Min(stride, n);
            // With nothing to the left, the predictor is always the byte above.
            for (int k = start; k < head; k++) output[k] = (byte)(row[k] - prior[k]);
            int i = Math.Max(head, start), width = Vector<byte>.Count;
            if (Vector.IsHardwareAccelerated)
                for (; i + width <= n; i += width)
                {
                    Vector.Widen(MemoryMarshal.Read<Vector<byte>>(row.Slice(i - stride)), out var leftLo, out var leftHi);
                    Vector.Widen(MemoryMarshal.Read<Vector<byte>>(prior.Slice(i)), out var aboveLo, out var aboveHi);
                    Vector.Widen(MemoryMarshal.Read<Vector<byte>>(prior.Slice(i - stride)), out var cornerLo, out var cornerHi);
                    var predicted = Vector.Narrow(Predict(leftLo, aboveLo, cornerLo), Predict(leftHi, aboveHi, cornerHi));
                    var v = MemoryMarshal.Read<Vector<byte>>(row.Slice(i)) - predicted;
                    MemoryMarshal.Write(output.Slice(i), ref v);
                }
            for (; i < n; i++) output[i] = (byte)(row[i] - PngFilter.Predict(row[i - stride], prior[i], prior[i - stride]));
        }

        private static Vector<ushort> Predict(Vector<ushort> left, Vector<ushort> above, Vector<ushort> corner)
        {
            var a = Vector.AsVectorInt16(left);
            var b = Vector.AsVectorInt16(above);
            var c = Vector.AsVectorInt16(corner);
            var towardAbove = b - c;
            var towardLeft = a - c;
            var pa = Vector.Abs(towardAbove);
            var pb = Vector.Abs(towardLeft);
            var pc = Vector.Abs(towardAbove + towardLeft);
            var pickLeft = Vector.LessThanOrEqual(pa, pb) & Vector.LessThanOrEqual(pa, pc);
            var pickAbove = Vector.LessThanOrEqual(pb, pc);
            return Vector.AsVectorUInt16(Vector.ConditionalSelect(pickLeft, a, Vector.ConditionalSelect(pickAbove, b, c)));
        }

        /// <summary>Sum over the bytes of min(b, 256 - b): each byte's magnitude read as a signed value.</summary>
        [MethodImpl(HotPath.Optimize)]
        public static long SumOfSignedMagnitudes(ReadOnlySpan<byte> data)
        {
            long total = 0;
            int i = 0, width = Vector<byte>.Count;
            if (Vector.IsHardwareAccelerated)
            {
                while (i + width <= data.Length)
                {
                    // 16-bit lanes gain at most 2 * 128 a step, so 255 steps cannot overflow them.
                    var sums = Vector<ushort>.Zero;
                    for (int steps = 0; steps < 255 && i + width <= data.Length; steps++, i += width)
                    {
                        var v = MemoryMarshal.Read<Vector<byte>>(data.Slice(i));
                        Vector.Widen(Vector.Min(v, Vector<byte>.Zero - v), out var lo, out var hi);
                        sums += lo + hi;
                    }
                    Vector.Widen(sums, out var wideLo, out var wideHi);
                    var wide = wideLo + wideHi;
                    for (int lane = 0; lane < Vector<uint>.Count; lane++) total += wide[lane];
                }
            }
            for (; i < data.Length; i++)
            {
                int b = data[i];
                total += b < 128 ? b : 256 - b;
            }
            return total;
        }
    }
}
