using System;
using System.IO;

namespace OpenAIImages.Engine.Files
{
    /// <summary>
    /// The one way this module writes a file. Bytes go to a temporary file beside the target, which then replaces the
    /// target in one rename, so an interrupted save leaves no truncated image. A new name is first claimed by creating
    /// it exclusively (an atomic create-if-absent on every file system), so an existing file is never replaced unless
    /// asked, not even one that appears while we write, and parallel writers never take the same name.
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
            bool claimed = false;
            try
            {
                claimed = TryClaim(fullPath);
                if (!claimed && !overwrite) throw new OutputFileExistsException(fullPath);
                File.Replace(temporary, fullPath, destinationBackupFileName: null, ignoreMetadataErrors: true);
                claimed = false;
                return fullPath;
            }
            catch when (claimed)
            {
                // Our empty placeholder must not stay behind as a zero-byte "image".
                TryDelete(fullPath);
                throw;
            }
            finally
            {
                TryDelete(temporary);
            }
        }

        /// <summary>
        /// Writes to <c>stem + extension</c> in <paramref name="directory"/>, or to <c>stem-2</c>, <c>stem-3</c>, ... when
        /// the name is taken, and returns the path used.
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
                    if (!TryClaim(candidate)) continue;
                    try
                    {
                        File.Replace(temporary, candidate, null, true);
                    }
                    catch
                    {
                        TryDelete(candidate);
                        throw;
                    }
                    return candidate;
                }
                throw new IOException($"No free file name for '{first}'.");
            }
            finally
            {
                TryDelete(temporary);
            }
        }

        /// <summary>Creates the file if, and only if, it does not exist yet; false when it exists.</summary>
        private static bool TryClaim(string path)
        {
            try
            {
                using (new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None)) { }
                return true;
            }
            catch (IOException) when (File.Exists(path))
            {
                return false;
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
