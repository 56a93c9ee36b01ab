using System;
using System.IO;

namespace OpenAIImages.Engine.Files
{
    /// <summary>
    /// The one way this module writes a file. Bytes go to a temporary file beside the target, which is then renamed
    /// into place, so an interrupted save leaves no truncated image; the rename fails when the target exists, so an
    /// existing file is never replaced unless asked, even by a file that appeared while we wrote.
    /// </summary>
    public static class SafeFileWriter
    {
        internal const string TemporarySuffix = ".partial";

        /// <summary>Writes <paramref name="data"/> to <paramref name="fullPath"/> and returns it.</summary>
        /// <exception cref="OutputFileExistsException">The file exists and <paramref name="overwrite"/> is false.</exception>
        public static string Write(string fullPath, byte[] data, bool overwrite)
        {
            if (!overwrite && File.Exists(fullPath)) throw new OutputFileExistsException(fullPath);
            string temporary = WriteTemporary(fullPath, data);
            try
            {
                if (overwrite && File.Exists(fullPath))
                {
                    File.Replace(temporary, fullPath, destinationBackupFileName: null, ignoreMetadataErrors: true);
                }
                else
                {
                    try
                    {
                        File.Move(temporary, fullPath);
                    }
                    catch (IOException) when (File.Exists(fullPath))
                    {
                        if (!overwrite) throw new OutputFileExistsException(fullPath);
                        File.Replace(temporary, fullPath, null, true);
                    }
                }
                return fullPath;
            }
            finally
            {
                TryDelete(temporary);
            }
        }

        /// <summary>
        /// Writes to <c>stem + extension</c> in <paramref name="directory"/>, or to <c>stem-2</c>, <c>stem-3</c>, ... when
        /// the name is taken, and returns the path used. Names are claimed atomically, so parallel writers never collide.
        /// </summary>
        public static string WriteUnique(string directory, string stem, string extension, byte[] data)
        {
            Directory.CreateDirectory(directory);
            string first = Path.Combine(directory, stem + extension);
            string temporary = WriteTemporary(first, data);
            try
            {
                for (int attempt = 1; attempt < 100_000; attempt++)
                {
                    string candidate = attempt == 1 ? first : Path.Combine(directory, $"{stem}-{attempt}{extension}");
                    if (File.Exists(candidate)) continue;
                    try
                    {
                        File.Move(temporary, candidate);
                        return candidate;
                    }
                    catch (IOException) when (File.Exists(candidate))
                    {
                        // Another writer took the name between the check and the rename; try the next one.
                    }
                }
                throw new IOException($"No free file name for '{first}'.");
            }
            finally
            {
                TryDelete(temporary);
            }
        }

        private static string WriteTemporary(string target, byte[] data)
        {
            string directory = Path.GetDirectoryName(target) ?? ".";
            Directory.CreateDirectory(directory);
            string temporary = Path.Combine(directory, "." + Path.GetFileName(target) + "." + Guid.NewGuid().ToString("N").Substring(0, 8) + TemporarySuffix);
            try
            {
                using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920))
                {
                    stream.Write(data, 0, data.Length);
                    stream.Flush(flushToDisk: true);
                }
                return temporary;
            }
            catch
            {
                TryDelete(temporary);
                throw;
            }
        }

        private static void TryDelete(string path)
        {
            try
            {
                if (File.Exists(path)) File.Delete(path);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }
}
