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
            if (outputDirectory != null) return new ImageSaveTarget { Directory = ResolvePath(cmdlet, outputDirectory, "OutputDirectory", what) };
            if (outFile != null) return new ImageSaveTarget { FilePath = ResolvePath(cmdlet, outFile, "OutFile", what), Force = force };
            return new ImageSaveTarget();
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
