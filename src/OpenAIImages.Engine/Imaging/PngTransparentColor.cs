using System;

namespace OpenAIImages.Engine.Imaging
{
    /// <summary>
    /// The tRNS color key of a gray or RGB image: pixels whose samples equal it exactly, compared at the image's
    /// own bit depth (before any scaling), become fully transparent.
    /// </summary>
    internal readonly struct PngTransparentColor
    {
        public bool Present { get; }
        public ushort Red { get; }
        public ushort Green { get; }
        public ushort Blue { get; }

        /// <summary>For gray images the key is held in all three fields.</summary>
        public ushort Gray => Red;

        private PngTransparentColor(ushort red, ushort green, ushort blue)
        {
            Present = true;
            Red = red;
            Green = green;
            Blue = blue;
        }

        public static PngTransparentColor Parse(ReadOnlySpan<byte> trns, PngColorType colorType)
        {
            if (colorType == PngColorType.Gray)
            {
                if (trns.Length != 2) throw ImageDecodeException.Corrupt($"tRNS chunk has length {trns.Length}; a grayscale image needs 2.");
                ushort g = BigEndian.ReadUInt16(trns, 0);
                return new PngTransparentColor(g, g, g);
            }
            if (trns.Length != 6) throw ImageDecodeException.Corrupt($"tRNS chunk has length {trns.Length}; an RGB image needs 6.");
            return new PngTransparentColor(BigEndian.ReadUInt16(trns, 0), BigEndian.ReadUInt16(trns, 2), BigEndian.ReadUInt16(trns, 4));
        }
    }
}
