using System;
using System.IO;
using OpenAIImages.Engine.Validation;

namespace OpenAIImages.Engine.Files
{
    /// <summary>
    /// The one way this module writes a file. Bytes go to a temporary file beside the target, which then takes the
    /// target's name in one rename, so an interrupted save leaves no truncated image. A new name is taken only if it
    /// is free at that very moment (see <see cref="TryPlace"/>), so an existing file is never replaced unless asked,
    /// not even one that appears while we write, and parallel writers never take the same name.
    /// </summary>
    public static class SafeFileWriter
    {
        internal const string TemporarySuffix = ".partial";

        /// <summary>
        /// Whether File.Move itself refuses a taken name atomically. On Windows it does (MoveFileEx without
        /// MOVEFILE_REPLACE_EXISTING). On Unix .NET checks for the name and then renames, which two writers can race,
        /// so there the name is claimed first by an exclusive create and the rename goes over our own placeholder.
        /// </summary>
        internal static readonly bool MoveRefusesTakenNames = System.Runtime.InteropServices.RuntimeInformation.IsOSPlatform(System.Runtime.InteropServices.OSPlatform.Windows);

        /// <summary>Writes <paramref name="data"/> to <paramref name="fullPath"/> and returns it.</summary>
        /// <exception cref="OutputFileExistsException">The file exists and <paramref name="overwrite"/> is false.</exception>
        public static string Write(string fullPath, byte[] data, bool overwrite)
        {
            if (!overwrite && File.Exists(fullPath)) throw new OutputFileExistsException(fullPath);
            string temporary = WriteTemporary(fullPath, data);
            try
            {
                if (TryPlace(temporary, fullPath, MoveRefusesTakenNames)) return fullPath;
                if (!overwrite) throw new OutputFileExistsException(fullPath);
                // Replacing a file that exists in one step takes File.Replace: File.Move cannot overwrite on .NET Framework.
                File.Replace(temporary, fullPath, destinationBackupFileName: null, ignoreMetadataErrors: true);
                return fullPath;
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
                    // Skipped everywhere, so a name does not depend on where the module runs.
                    if (OutputFileNamer.IsReservedOnWindows(Path.GetFileName(candidate))) continue;
                    if (TryPlace(temporary, candidate, MoveRefusesTakenNames)) return candidate;
                }
                throw new IOException($"No free file name for '{first}'.");
            }
            finally
            {
                TryDelete(temporary);
            }
        }

        /// <summary>
        /// Renames <paramref name="temporary"/> to <paramref name="path"/> if, and only if, no file has that name;
        /// false when one has. Where File.Move refuses taken names atomically it is all that is needed. Elsewhere the
        /// name is claimed with an empty placeholder and the rename replaces it; that is not done on Windows, where
        /// ReplaceFile onto a file created a moment before fails intermittently once a virus scanner or the search
        /// indexer has opened it, and where the placeholder would show as a zero-byte image meanwhile.
        /// </summary>
        internal static bool TryPlace(string temporary, string path, bool moveRefusesTakenNames)
        {
            if (moveRefusesTakenNames)
            {
                try
                {
                    File.Move(temporary, path);
                    return true;
                }
                catch (IOException) when (File.Exists(path))
                {
                    return false;
                }
            }
            if (!TryClaim(path)) return false;
            try
            {
                File.Replace(temporary, path, destinationBackupFileName: null, ignoreMetadataErrors: true);
                return true;
            }
            catch
            {
                // Our empty placeholder must not stay behind as a zero-byte "image".
                TryDelete(path);
                throw;
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
            string temporary = Path.Combine(directory, TemporaryName(Path.GetFileName(target)));
            try
            {
                using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920))
                {
                    stream.Write(data, 0, data.Length);
                    stream.Flush(flushToDisk: true);
                }
                return temporary;
            }
            catch (UnauthorizedAccessException e)
            {
                TryDelete(temporary);
                // The temporary's name means nothing to the user; the file they asked for does.
                throw new UnauthorizedAccessException($"Cannot write '{target}': access to the folder '{directory}' is denied.", e);
            }
            catch
            {
                TryDelete(temporary);
                throw;
            }
        }

        /// <summary>
        /// Throws <see cref="ImageRequestException"/> (<see cref="ErrorIds.OutputFolderNotWritable"/>) when no file can
        /// be created in <paramref name="directory"/>, or, while it does not exist, in the nearest folder above it
        /// that does: checked before a request is paid for, by creating a file there that is deleted as it closes.
        /// </summary>
        public static void CheckWritable(string directory, string shownAs)
        {
            string? existing = directory;
            while (existing != null && !Directory.Exists(existing)) existing = Path.GetDirectoryName(existing);
            if (existing == null) return;
            try
            {
                string probe = Path.Combine(existing, "." + Guid.NewGuid().ToString("N").Substring(0, 8) + ".write-check");
                using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose)) { }
            }
            catch (Exception e) when (e is UnauthorizedAccessException || e is IOException)
            {
                // The probe's own name would mean nothing to the user: say what the folder refused.
                string why = e is UnauthorizedAccessException ? "access is denied" : "it does not take new files";
                throw new ImageRequestException(ErrorIds.OutputFolderNotWritable,
                    $"Cannot save to '{shownAs}': the folder '{existing}' cannot be written ({why}). Choose a folder you can write to.", "OutputDirectory");
            }
        }

        /// <summary>
        /// A hidden, unique name that is never longer than the target's own once that is long: a name that fits the
        /// file system's limits (255 per name, 260 per path on Windows PowerShell without long paths) must not fail
        /// because of its temporary. Long names keep their start, so a leftover still says whose it was.
        /// </summary>
        internal static string TemporaryName(string targetName)
        {
            string unique = "." + Guid.NewGuid().ToString("N").Substring(0, 8) + TemporarySuffix;
            int keep = Math.Max(0, targetName.Length - unique.Length - 1);
            if (keep > 0 && char.IsHighSurrogate(targetName[keep - 1])) keep--;
            return "." + targetName.Substring(0, keep) + unique;
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
