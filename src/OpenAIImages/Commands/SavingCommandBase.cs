using System.Management.Automation;
using OpenAIImages.Engine.Files;
using OpenAIImages.Engine.Validation;
using OpenAIImages.Infrastructure;

namespace OpenAIImages.Commands
{
    /// <summary>
    /// The API cmdlets that make images: what they make can be saved, with one set of rules for where
    /// (<see cref="SaveTargetScope"/>, which ConvertTo-AlphaMask uses too).
    /// </summary>
    public abstract class SavingCommandBase : ConnectionCommandBase
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

        private readonly SaveTargetScope _saves = new SaveTargetScope();

        /// <summary>Where the current item's results go.</summary>
        private protected ImageSaveTarget SaveTarget => _saves.Current;

        /// <summary>Resolves the call's target; parameters no file could be saved with end the call.</summary>
        private protected void ResolveSaveTarget(AsyncPipeline pipeline, string what)
        {
            try
            {
                _saves.ForCall(this, pipeline, OutputDirectory, OutFile, Force, what);
            }
            catch (ImageRequestException e)
            {
                throw Terminate(ErrorRecords.From(e, null));
            }
        }

        /// <summary>Sets the current item's target; throws ImageRequestException for that item alone.</summary>
        private protected void ResolveItemSaveTarget(AsyncPipeline pipeline) =>
            _saves.ForItem(this, pipeline, IsFromItem(nameof(OutputDirectory)) ? OutputDirectory : null, IsFromItem(nameof(OutFile)) ? OutFile : null, Force);

        /// <summary>A reader of input images that resolves paths against this session's location.</summary>
        private protected InputImageResolver NewInputResolver(AsyncPipeline pipeline, string what) =>
            new InputImageResolver(pipeline, pipeline.OnPipelineThread(() => SessionState.Path), what);
    }
}
