using System;
using System.Globalization;
using System.IO;
using System.Text;

namespace OpenAIImages.Engine.Files
{
    /// <summary>
    /// Names for saved images. Names made from prompts keep letters and digits only, so no prompt can reach outside
    /// the output directory or make a name Windows refuses.
    /// </summary>
    public static class OutputFileNamer
    {
        private const int MaxStemLength = 48;

        /// <summary>A file name stem from a prompt, e.g. <c>a-cat-in-a-hat</c>; <c>image</c> when nothing usable is left.</summary>
        public static string StemFromPrompt(string? prompt)
        {
            var builder = new StringBuilder();
            bool pendingDash = false;
            foreach (char c in prompt ?? "")
            {
                if (builder.Length >= MaxStemLength) break;
                if (char.IsLetterOrDigit(c) && c < 0x2000)
                {
                    if (pendingDash && builder.Length > 0) builder.Append('-');
                    builder.Append(char.ToLowerInvariant(c));
                    pendingDash = false;
                }
                else
                {
                    pendingDash = true;
                }
            }
            string stem = builder.ToString().TrimEnd('-');
            return stem.Length == 0 ? "image" : stem;
        }

        /// <summary>The stem for one image in an output directory: prompt words, time and index.</summary>
        public static string StemFor(string? prompt, DateTimeOffset time, int index) =>
            StemFromPrompt(prompt) + "-" + time.ToLocalTime().ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture) + "-" + (index + 1).ToString(CultureInfo.InvariantCulture);

        /// <summary>
        /// The path for image <paramref name="index"/> of <paramref name="count"/> written to a file the user named:
        /// the name as given for one image, numbered (<c>cat-1.png</c>, <c>cat-2.png</c>) for several; the extension
        /// follows the image's real format.
        /// </summary>
        public static string ForOutFile(string fullPath, int index, int count, string realExtension)
        {
            string directory = Path.GetDirectoryName(fullPath) ?? "";
            string name = Path.GetFileNameWithoutExtension(fullPath);
            string extension = Path.GetExtension(fullPath);
            if (!IsImageExtension(extension) || !SameFormat(extension, realExtension)) extension = IsImageExtension(extension) || extension.Length == 0 ? realExtension : extension + realExtension;
            if (count > 1) name += "-" + (index + 1).ToString(CultureInfo.InvariantCulture);
            return Path.Combine(directory, name + extension);
        }

        private static bool IsImageExtension(string extension) =>
            extension.Equals(".png", StringComparison.OrdinalIgnoreCase) || extension.Equals(".jpg", StringComparison.OrdinalIgnoreCase)
            || extension.Equals(".jpeg", StringComparison.OrdinalIgnoreCase) || extension.Equals(".webp", StringComparison.OrdinalIgnoreCase);

        private static bool SameFormat(string extension, string realExtension)
        {
            string a = extension.Equals(".jpeg", StringComparison.OrdinalIgnoreCase) ? ".jpg" : extension;
            return a.Equals(realExtension, StringComparison.OrdinalIgnoreCase);
        }
    }
}
