using System.Management.Automation;
using OpenAIImages.Engine.Files;

namespace OpenAIImages.Infrastructure
{
    /// <summary>
    /// Where a call saves, and where its current pipeline item saves: the call's target from -OutputDirectory or
    /// -OutFile, resolved once, and an item's own when a row carries OutFile or OutputDirectory. The one place these
    /// rules live, for every cmdlet that saves (see <see cref="OutputLocation"/> for the checks themselves).
    /// </summary>
    internal sealed class SaveTargetScope
    {
        private ImageSaveTarget _call = new ImageSaveTarget();
        private string _what = "images";

        /// <summary>The target of the current item.</summary>
        public ImageSaveTarget Current { get; private set; } = new ImageSaveTarget();

        /// <summary>Resolves the call's target on the pipeline thread; throws ImageRequestException for one no file could be saved to.</summary>
        public void ForCall(PSCmdlet cmdlet, AsyncPipeline pipeline, string? outputDirectory, string? outFile, bool force, string what)
        {
            _what = what;
            Current = _call = pipeline.OnPipelineThread(() =>
            {
                string? directory = outputDirectory;
                if (directory != null && outFile != null && OutputLocation.FromDefaultValues(cmdlet, "OutputDirectory"))
                {
                    cmdlet.WriteVerbose($"-OutFile is given, so the -OutputDirectory that $PSDefaultParameterValues sets ('{directory}') is not used.");
                    directory = null;
                }
                return OutputLocation.Resolve(cmdlet, directory, outFile, force, what);
            });
        }

        /// <summary>
        /// The current item's target: the call's, or the one its own OutputDirectory or OutFile (null when not from
        /// the item) names; throws ImageRequestException for that item alone.
        /// </summary>
        public void ForItem(PSCmdlet cmdlet, AsyncPipeline pipeline, string? itemDirectory, string? itemFile, bool force)
        {
            Current = itemDirectory == null && itemFile == null ? _call
                : pipeline.OnPipelineThread(() => OutputLocation.ResolveForItem(cmdlet, _call, itemDirectory, itemFile, force, _what));
        }
    }
}
