using System.Management.Automation;
using OpenAIImages.Engine.Files;
using OpenAIImages.Engine.Validation;
using OpenAIImages.Infrastructure;

namespace OpenAIImages.Commands
{
    /// <summary>What every cmdlet of the module shares: what it makes can be saved, with one set of rules for where.</summary>
    public abstract class SavingCommandBase : AsyncPSCmdlet
    {
        /// <summary>Save each result in this directory under a name of its own.</summary>
        /// <remarks>Binds from CSV rows too, where an empty cell means the call's own target.</remarks>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [BlankAsDefault(null)]
        public string? OutputDirectory { get; set; }

        /// <summary>Save to this file; several results are numbered.</summary>
        /// <remarks>
        /// Binds from CSV rows too. An -OutFile given on the command line wins over an -OutputDirectory that only
        /// $PSDefaultParameterValues supplies; a relative OutFile from a row goes into the call's -OutputDirectory.
        /// </remarks>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [BlankAsDefault(null)]
        public string? OutFile { get; set; }

        /// <summary>Replace an existing file at -OutFile.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Where the current item's results go: the call's target, or the one its own OutFile or OutputDirectory names.</summary>
        private protected ImageSaveTarget SaveTarget { get; private set; } = new ImageSaveTarget();

        private ImageSaveTarget _callTarget = new ImageSaveTarget();
        private string _what = "images";

        /// <summary>Resolves the call's target on the pipeline thread; parameters no file could be saved with end the call.</summary>
        private protected void ResolveSaveTarget(AsyncPipeline pipeline, string what)
        {
            _what = what;
            try
            {
                SaveTarget = _callTarget = pipeline.OnPipelineThread(() =>
                {
                    string? directory = OutputDirectory;
                    if (directory != null && OutFile != null && OutputLocation.FromDefaultValues(this, nameof(OutputDirectory)))
                    {
                        WriteVerbose($"-OutFile is given, so the -OutputDirectory that $PSDefaultParameterValues sets ('{directory}') is not used.");
                        directory = null;
                    }
                    return OutputLocation.Resolve(this, directory, OutFile, Force, what);
                });
            }
            catch (ImageRequestException e)
            {
                throw Terminate(ErrorRecords.From(e, null));
            }
        }

        /// <summary>
        /// Sets <see cref="SaveTarget"/> for the current pipeline item; throws <see cref="ImageRequestException"/> when
        /// the item's own OutFile or OutputDirectory cannot be saved to, an error for that item alone.
        /// </summary>
        private protected void ResolveItemSaveTarget(AsyncPipeline pipeline)
        {
            string? directory = IsFromItem(nameof(OutputDirectory)) ? OutputDirectory : null;
            string? file = IsFromItem(nameof(OutFile)) ? OutFile : null;
            SaveTarget = directory == null && file == null ? _callTarget
                : pipeline.OnPipelineThread(() => OutputLocation.ResolveForItem(this, _callTarget, directory, file, Force, _what));
        }

        /// <summary>A reader of input images that resolves paths against this session's location.</summary>
        private protected InputImageResolver NewInputResolver(AsyncPipeline pipeline, string what) =>
            new InputImageResolver(pipeline, pipeline.OnPipelineThread(() => SessionState.Path), what);
    }
}
