namespace OpenAIImages.Engine.Imaging
{
    /// <summary>
    /// One reduced image of a PNG: the whole image when not interlaced, or one of the seven Adam7 passes.
    /// A pass can be empty (for example pass 2 of an image 4 pixels wide); empty passes carry no bytes at all.
    /// </summary>
    internal readonly struct PngPass
    {
        public int Number { get; }
        public int XStart { get; }
        public int YStart { get; }
        public int XStep { get; }
        public int YStep { get; }
        public int Width { get; }
        public int Height { get; }

        public PngPass(int number, int xStart, int yStart, int xStep, int yStep, int imageWidth, int imageHeight)
        {
            Number = number;
            XStart = xStart;
            YStart = yStart;
            XStep = xStep;
            YStep = yStep;
            Width = imageWidth > xStart ? (imageWidth - xStart + xStep - 1) / xStep : 0;
            Height = imageHeight > yStart ? (imageHeight - yStart + yStep - 1) / yStep : 0;
        }

        public bool IsEmpty => Width == 0 || Height == 0;
    }

    internal static class Adam7
    {
        public static PngPass[] Passes(in PngHeader header)
        {
            int w = header.Width, h = header.Height;
            if (!header.Interlaced) return new[] { new PngPass(0, 0, 0, 1, 1, w, h) };
            return new[]
            {
                new PngPass(1, 0, 0, 8, 8, w, h),
                new PngPass(2, 4, 0, 8, 8, w, h),
                new PngPass(3, 0, 4, 4, 8, w, h),
                new PngPass(4, 2, 0, 4, 4, w, h),
                new PngPass(5, 0, 2, 2, 4, w, h),
                new PngPass(6, 1, 0, 2, 2, w, h),
                new PngPass(7, 0, 1, 1, 2, w, h),
            };
        }

        /// <summary>Bytes of filtered data the zlib stream must hold: per non-empty row, a filter byte and the packed pixels.</summary>
        public static long FilteredDataLength(in PngHeader header)
        {
            long total = 0;
            foreach (var pass in Passes(header))
                if (!pass.IsEmpty) total += pass.Height * (1 + header.RowBytes(pass.Width));
            return total;
        }
    }
}
