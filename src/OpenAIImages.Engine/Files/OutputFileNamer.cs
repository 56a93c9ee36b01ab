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
        // Short enough that a whole name (stem, time, number, extension: at most 50 characters) fits the table view's
        // File column on an 80-column console, which leaves it 52.
        private const int MaxStemLength = 26;

        /// <summary>A file name stem from a prompt, e.g. <c>a-cat-in-a-hat</c>; <c>image</c> when nothing usable is left.</summary>
        public static string StemFromPrompt(string? prompt)
        {
            var builder = new StringBuilder();
            bool pendingDash = false;
            foreach (char c in prompt ?? "")
            {
                if (char.IsLetterOrDigit(c) && c < 0x2000)
                {
                    if (builder.Length + (pendingDash && builder.Length > 0 ? 2 : 1) > MaxStemLength) break;
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
            if (stem.Length == 0) return "image";
            // "con" alone would name the console device on Windows, whatever extension follows it.
            return IsReservedOnWindows(stem) ? stem + "-image" : stem;
        }

        private static readonly string[] ReservedDeviceNames =
        {
            "CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$",
            "COM0", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9", "COM\u00B9", "COM\u00B2", "COM\u00B3",
            "LPT0", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9", "LPT\u00B9", "LPT\u00B2", "LPT\u00B3",
        };

        /// <summary>
        /// True for a file name Windows takes as a device (CON, NUL, COM1, LPT1 and the like), with or without an
        /// extension and trailing spaces: writing to <c>con.png</c> there opens the console, not a file.
        /// </summary>
        internal static bool IsReservedOnWindows(string fileName)
        {
            string name = fileName ?? "";
            int dot = name.IndexOf('.');
            string device = (dot >= 0 ? name.Substring(0, dot) : name).TrimEnd(' ');
            foreach (string reserved in ReservedDeviceNames)
                if (string.Equals(device, reserved, StringComparison.OrdinalIgnoreCase)) return true;
            return false;
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

        /// <summary>The output format (png, jpeg, webp) a file name's extension names, or null for any other name.</summary>
        public static string? FormatOfFileName(string? path)
        {
            string extension = Path.GetExtension(path ?? "");
            if (!IsImageExtension(extension)) return null;
            return extension.Equals(".png", StringComparison.OrdinalIgnoreCase) ? "png"
                : extension.Equals(".webp", StringComparison.OrdinalIgnoreCase) ? "webp" : "jpeg";
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
