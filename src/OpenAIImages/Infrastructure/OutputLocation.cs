using System.IO;
using System.Management.Automation;
using Microsoft.PowerShell.Commands;
using OpenAIImages.Engine;
using OpenAIImages.Engine.Files;
using OpenAIImages.Engine.Validation;

namespace OpenAIImages.Infrastructure
{
    /// <summary>
    /// Where a call saves what it makes, from -OutputDirectory or -OutFile (with -Force): checked and resolved once, on
    /// the pipeline thread, against the current PowerShell location (the file need not exist yet). Every cmdlet that
    /// saves takes its target from here.
    /// </summary>
    internal static class OutputLocation
    {
        /// <summary>The save target; throws <see cref="ImageRequestException"/> for parameters no file could be saved with.</summary>
        public static ImageSaveTarget Resolve(PSCmdlet cmdlet, string? outputDirectory, string? outFile, bool force, string what)
        {
            if (outputDirectory != null && outFile != null)
                throw new ImageRequestException(ErrorIds.OutFileAndOutputDirectory, "Give -OutputDirectory or -OutFile, not both.");
            // What the file system says against the target now, before anything is paid for, rather than after.
            if (outputDirectory != null)
            {
                string directory = ResolvePath(cmdlet, outputDirectory, "OutputDirectory", what);
                if (File.Exists(directory))
                    throw new ImageRequestException(ErrorIds.OutputDirectoryIsFile, $"-OutputDirectory '{outputDirectory}' is a file, not a folder. Name a folder (it is created if it does not exist), or use -OutFile to write one file.", "OutputDirectory");
                return new ImageSaveTarget { Directory = directory };
            }
            if (outFile == null) return new ImageSaveTarget();
            string file = ResolvePath(cmdlet, outFile, "OutFile", what);
            if (Directory.Exists(file))
                throw new ImageRequestException(ErrorIds.OutFileIsFolder, $"-OutFile '{outFile}' is a folder. Give the name of the file to write, or use -OutputDirectory '{outFile}' to save under new names in it.", "OutFile");
            return new ImageSaveTarget { FilePath = file, Force = force };
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
