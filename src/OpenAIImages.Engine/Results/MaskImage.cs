using System;
using OpenAIImages.Engine.Files;

namespace OpenAIImages.Engine.Results
{
    /// <summary>
    /// A mask made by ConvertTo-AlphaMask: a PNG whose alpha marks what the edits endpoint may change (alpha 0 is
    /// edited). Edit-OpenAIImage -Mask takes it as it is.
    /// </summary>
    public sealed class MaskImage
    {
        public MaskImage(byte[] bytes, int width, int height, string? source)
        {
            Bytes = bytes ?? throw new ArgumentNullException(nameof(bytes));
            Width = width;
            Height = height;
            Source = source;
        }

        /// <summary>The PNG file, RGBA with alpha equal to the mask's gray level.</summary>
        public byte[] Bytes { get; }
        public int Width { get; }
        public int Height { get; }
        public string Size => $"{Width}x{Height}";

        /// <summary>The black-and-white image the mask was made from.</summary>
        public string? Source { get; }

        /// <summary>The full path of the saved file, once saved.</summary>
        public string? Path { get; internal set; }

        /// <summary>Writes the mask to a new file (or replaces one with <paramref name="force"/>) and returns the full path.</summary>
        public string Save(string path, bool force = false)
        {
            Path = SafeFileWriter.Write(System.IO.Path.GetFullPath(path), Bytes, force);
            return Path;
        }

        /// <summary>Saves under a new, unique name in a directory.</summary>
        public string SaveToDirectory(string directory, string stem)
        {
            Path = SafeFileWriter.WriteUnique(directory, stem, ".png", Bytes);
            return Path;
        }

        public override string ToString() => Path ?? $"mask {Size}";
    }
}
