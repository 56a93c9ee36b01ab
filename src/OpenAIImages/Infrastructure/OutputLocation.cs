using System;
using System.Collections;
using System.IO;
using System.Management.Automation;
using Microsoft.PowerShell.Commands;
using OpenAIImages.Engine;
using OpenAIImages.Engine.Files;
using OpenAIImages.Engine.Validation;

namespace OpenAIImages.Infrastructure
{
    /// <summary>
    /// Where a call saves what it makes, from -OutputDirectory or -OutFile (with -Force): checked and resolved on the
    /// pipeline thread, against the current PowerShell location (the file need not exist yet), before anything is
    /// paid for. Every cmdlet that saves takes its target from here.
    /// </summary>
    internal static class OutputLocation
    {
        /// <summary>The save target; throws <see cref="ImageRequestException"/> for parameters no file could be saved with.</summary>
        public static ImageSaveTarget Resolve(PSCmdlet cmdlet, string? outputDirectory, string? outFile, bool force, string what)
        {
            if (outputDirectory != null && outFile != null)
                throw new ImageRequestException(ErrorIds.OutFileAndOutputDirectory, "Give -OutputDirectory or -OutFile, not both.");
            if (outputDirectory != null)
            {
                string directory = ResolvePath(cmdlet, outputDirectory, "OutputDirectory", what);
                if (File.Exists(directory))
                    throw new ImageRequestException(ErrorIds.OutputDirectoryIsFile, $"-OutputDirectory '{outputDirectory}' is a file, not a folder. Name a folder (it is created if it does not exist), or use -OutFile to write one file.", "OutputDirectory");
                SafeFileWriter.CheckWritable(directory, outputDirectory);
                return new ImageSaveTarget { Directory = directory };
            }
            if (outFile == null) return new ImageSaveTarget();
            string file = ResolvePath(cmdlet, outFile, "OutFile", what);
            if (Directory.Exists(file))
                throw new ImageRequestException(ErrorIds.OutFileIsFolder, $"-OutFile '{outFile}' is a folder. Give the name of the file to write, or use -OutputDirectory '{outFile}' to save under new names in it.", "OutFile");
            SafeFileWriter.CheckWritable(Path.GetDirectoryName(file) ?? file, outFile);
            return new ImageSaveTarget { FilePath = file, Force = force };
        }

        /// <summary>
        /// The target of one pipeline item that carries its own OutFile or OutputDirectory (a CSV column): its values
        /// replace the call's, and a relative OutFile goes into the folder the item or the call names.
        /// </summary>
        public static ImageSaveTarget ResolveForItem(PSCmdlet cmdlet, ImageSaveTarget callTarget, string? itemDirectory, string? itemFile, bool force, string what)
        {
            if (itemFile == null) return Resolve(cmdlet, itemDirectory, null, force, what);
            string? folder = itemDirectory != null ? ResolvePath(cmdlet, itemDirectory, "OutputDirectory", what) : callTarget.Directory;
            bool relative = !cmdlet.SessionState.Path.IsPSAbsolute(itemFile, out _);
            return Resolve(cmdlet, null, folder != null && relative ? Path.Combine(folder, itemFile) : itemFile, force, what);
        }

        /// <summary>
        /// True when $PSDefaultParameterValues supplies <paramref name="parameter"/> for this command: such a default
        /// steps aside for an explicit parameter it cannot go with (a default -OutputDirectory for a -OutFile).
        /// </summary>
        public static bool FromDefaultValues(PSCmdlet cmdlet, string parameter)
        {
            if (!(cmdlet.SessionState.PSVariable.GetValue("PSDefaultParameterValues") is IDictionary defaults)) return false;
            if (defaults.Contains("Disabled") && LanguagePrimitives.IsTrue(defaults["Disabled"])) return false;
            string command = cmdlet.MyInvocation.MyCommand.Name;
            foreach (DictionaryEntry entry in defaults)
            {
                if (!(entry.Key is string key)) continue;
                int colon = key.LastIndexOf(':');
                if (colon <= 0 || !key.Substring(colon + 1).Trim().Equals(parameter, StringComparison.OrdinalIgnoreCase)) continue;
                if (WildcardPattern.Get(key.Substring(0, colon).Trim(), WildcardOptions.IgnoreCase).IsMatch(command)) return true;
            }
            return false;
        }

        private static string ResolvePath(PSCmdlet cmdlet, string path, string parameterName, string what)
        {
            string resolved = cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(path, out ProviderInfo provider, out _);
            if (provider.ImplementingType != typeof(FileSystemProvider))
                throw new ImageRequestException(ErrorIds.OutputPathNotFileSystem, $"-{parameterName} '{path}' is on the {provider.Name} provider; {what} can be saved only to the file system.", parameterName);
            return resolved;
        }
    }
}
