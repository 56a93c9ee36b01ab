using System;
using System.Management.Automation;
using Microsoft.PowerShell.Commands;
using OpenAIImages.Engine;
using OpenAIImages.Engine.Files;

namespace OpenAIImages.Infrastructure
{
    /// <summary>
    /// Where a call saves what it makes, from -OutputDirectory or -OutFile (with -Force): checked and resolved once, on
    /// the pipeline thread, against the current PowerShell location (the file need not exist yet). Every cmdlet that
    /// saves takes its target from here.
    /// </summary>
    internal static class OutputLocation
    {
        /// <summary>The save target; throws <see cref="OutputPathException"/> for parameters no file could be saved with.</summary>
        public static ImageSaveTarget Resolve(PSCmdlet cmdlet, string? outputDirectory, string? outFile, bool force, string what)
        {
            if (outputDirectory != null && outFile != null)
                throw new OutputPathException(ErrorIds.OutFileAndOutputDirectory, "Give -OutputDirectory or -OutFile, not both.", null);
            if (outputDirectory != null) return new ImageSaveTarget { Directory = ResolvePath(cmdlet, outputDirectory, "OutputDirectory", what) };
            if (outFile != null) return new ImageSaveTarget { FilePath = ResolvePath(cmdlet, outFile, "OutFile", what), Force = force };
            return new ImageSaveTarget();
        }

        private static string ResolvePath(PSCmdlet cmdlet, string path, string parameterName, string what)
        {
            string resolved = cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(path, out ProviderInfo provider, out _);
            if (provider.ImplementingType != typeof(FileSystemProvider))
                throw new OutputPathException(ErrorIds.OutputPathNotFileSystem, $"-{parameterName} '{path}' is on the {provider.Name} provider; {what} can be saved only to the file system.", path);
            return resolved;
        }
    }

    /// <summary>Output parameters no file could be saved with; ends the call, since no result could be saved.</summary>
    internal sealed class OutputPathException : Exception
    {
        public string ErrorId { get; }
        public string? Path { get; }

        public OutputPathException(string errorId, string message, string? path) : base(message)
        {
            ErrorId = errorId;
            Path = path;
        }

        public ErrorRecord ToErrorRecord() => new ErrorRecord(new ArgumentException(Message), ErrorId, ErrorCategory.InvalidArgument, Path);
    }
}
