using System;

namespace OpenAIImages.Engine.Imaging
{
    /// <summary>
    /// Resizes 8-bit gray images the way PIL's Image.resize does for mode "L", so a mask resized here matches the
    /// one a PIL user would get, byte for byte. The arithmetic (accumulated doubles for nearest, 22-bit fixed-point
    /// weights and a rounded 8-bit intermediate between the horizontal and vertical passes for bilinear) is copied
    /// on purpose; tidier math would give different bytes.
    /// </summary>
    internal static class GrayResampler
    {
        private const int PrecisionBits = 32 - 8 - 2;

        public static byte[] Resize(byte[] source, int width, int height, int newWidth, int newHeight, MaskResampling resampling)
        {
            // PIL copies the image unchanged when the size is unchanged, whatever the filter.
            if (newWidth == width && newHeight == height) return (byte[])source.Clone();
            return resampling switch
            {
                MaskResampling.Nearest => Nearest(source, width, height, newWidth, newHeight),
                MaskResampling.Bilinear => Bilinear(source, width, height, newWidth, newHeight),
                _ => throw new ArgumentOutOfRangeException(nameof(resampling), resampling, "Unknown resampling."),
            };
        }

        private static byte[] Nearest(byte[] source, int width, int height, int newWidth, int newHeight)
        {
            var output = new byte[(long)newWidth * newHeight];
            double xScale = (double)width / newWidth;
            double yScale = (double)height / newHeight;
            var columns = new int[newWidth];
            double xo = xScale * 0.5;
            for (int x = 0; x < newWidth; x++, xo += xScale)
                columns[x] = Coordinate(xo, width);
            double yo = yScale * 0.5;
            for (int y = 0; y < newHeight; y++, yo += yScale)
            {
                int sourceY = Coordinate(yo, height);
                if (sourceY < 0) continue;
                int inRow = sourceY * width, outRow = y * newWidth;
                for (int x = 0; x < newWidth; x++)
                    if (columns[x] >= 0) output[outRow + x] = source[inRow + columns[x]];
            }
            return output;
        }

        /// <summary>PIL's COORD: truncation toward zero, and -1 (leave the pixel 0) for positions outside the source.</summary>
        private static int Coordinate(double position, int size)
        {
            int c = position < 0 ? -1 : (int)position;
            return c < size ? c : -1;
        }

        private static byte[] Bilinear(byte[] source, int width, int height, int newWidth, int newHeight)
        {
            byte[] horizontal = source;
            if (newWidth != width)
            {
                var (bounds, weights, taps) = Weights(width, newWidth);
                horizontal = new byte[(long)newWidth * height];
                for (int y = 0; y < height; y++)
                {
                    int inRow = y * width, outRow = y * newWidth;
                    for (int x = 0; x < newWidth; x++)
                    {
                        int first = bounds[x * 2], count = bounds[x * 2 + 1], k = x * taps;
                        int sum = 1 << (PrecisionBits - 1);
                        for (int i = 0; i < count; i++) sum += source[inRow + first + i] * weights[k + i];
                        horizontal[outRow + x] = Clip8(sum);
                    }
                }
            }
            if (newHeight == height) return horizontal;
            var (vBounds, vWeights, vTaps) = Weights(height, newHeight);
            var output = new byte[(long)newWidth * newHeight];
            var sums = new int[newWidth];
            for (int y = 0; y < newHeight; y++)
            {
                int first = vBounds[y * 2], count = vBounds[y * 2 + 1], k = y * vTaps;
                sums.AsSpan().Fill(1 << (PrecisionBits - 1));
                // Row by row rather than column by column: same sums in the same order, but cache friendly.
                for (int i = 0; i < count; i++)
                {
                    int w = vWeights[k + i], inRow = (first + i) * newWidth;
                    for (int x = 0; x < newWidth; x++) sums[x] += horizontal[inRow + x] * w;
                }
                int outRow = y * newWidth;
                for (int x = 0; x < newWidth; x++) output[outRow + x] = Clip8(sums[x]);
            }
            return output;
        }

        private static byte Clip8(int sum)
        {
            int v = sum >> PrecisionBits;
            return v < 0 ? (byte)0 : v > 255 ? (byte)255 : (byte)v;
        }

        /// <summary>PIL's precompute_coeffs and normalize_coeffs_8bpc for the triangle filter (support 1).</summary>
        private static (int[] Bounds, int[] Weights, int Taps) Weights(int inSize, int outSize)
        {
            double scale = (double)inSize / outSize;
            double filterScale = Math.Max(scale, 1.0);
            double support = 1.0 * filterScale;
            int taps = (int)Math.Ceiling(support) * 2 + 1;
            var bounds = new int[outSize * 2];
            var weights = new int[outSize * taps];
            var k = new double[taps];
            for (int xx = 0; xx < outSize; xx++)
            {
                double center = (xx + 0.5) * scale;
                double ss = 1.0 / filterScale;
                int xmin = (int)(center - support + 0.5);
                if (xmin < 0) xmin = 0;
                int xmax = (int)(center + support + 0.5);
                if (xmax > inSize) xmax = inSize;
                xmax -= xmin;
                double total = 0;
                for (int x = 0; x < xmax; x++)
                {
                    double w = Triangle((x + xmin - center + 0.5) * ss);
                    k[x] = w;
                    total += w;
                }
                for (int x = 0; x < xmax; x++)
                {
                    double w = total != 0.0 ? k[x] / total : k[x];
                    weights[xx * taps + x] = w < 0 ? (int)(-0.5 + w * (1 << PrecisionBits)) : (int)(0.5 + w * (1 << PrecisionBits));
                }
                bounds[xx * 2] = xmin;
                bounds[xx * 2 + 1] = xmax;
            }
            return (bounds, weights, taps);
        }

        private static double Triangle(double x)
        {
            if (x < 0.0) x = -x;
            return x < 1.0 ? 1.0 - x : 0.0;
        }
    }
}
