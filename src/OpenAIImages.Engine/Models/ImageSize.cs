using System;
using System.Globalization;

namespace OpenAIImages.Engine.Models
{
    /// <summary>A requested output size: <c>auto</c> or WIDTHxHEIGHT.</summary>
    public readonly struct ImageSize : IEquatable<ImageSize>
    {
        public const string AutoText = "auto";

        public int Width { get; }
        public int Height { get; }
        public bool IsAuto => Width == 0 && Height == 0;

        public ImageSize(int width, int height)
        {
            if (width <= 0 || height <= 0) throw new ArgumentOutOfRangeException(nameof(width), "Width and height must be positive.");
            Width = width;
            Height = height;
        }

        public static ImageSize Auto => default;

        /// <summary>Parses <c>auto</c>, <c>1536x1024</c> (an ASCII x, a multiplication sign or an X are all taken).</summary>
        public static bool TryParse(string? text, out ImageSize size)
        {
            size = default;
            if (string.IsNullOrWhiteSpace(text)) return false;
            var trimmed = text!.Trim();
            if (string.Equals(trimmed, AutoText, StringComparison.OrdinalIgnoreCase)) return true;
            int separator = trimmed.IndexOfAny(new[] { 'x', 'X', '\u00D7' });
            if (separator <= 0 || separator == trimmed.Length - 1) return false;
            if (!int.TryParse(trimmed.Substring(0, separator), NumberStyles.None, CultureInfo.InvariantCulture, out int w)) return false;
            if (!int.TryParse(trimmed.Substring(separator + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int h)) return false;
            if (w <= 0 || h <= 0) return false;
            size = new ImageSize(w, h);
            return true;
        }

        public bool Equals(ImageSize other) => Width == other.Width && Height == other.Height;
        public override bool Equals(object? obj) => obj is ImageSize other && Equals(other);
        public override int GetHashCode() => (Width * 397) ^ Height;

        /// <summary>The API's spelling: <c>auto</c> or <c>1536x1024</c>.</summary>
        public override string ToString() => IsAuto ? AutoText : Width.ToString(CultureInfo.InvariantCulture) + "x" + Height.ToString(CultureInfo.InvariantCulture);
    }
}
