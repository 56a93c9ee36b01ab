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
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? OutputDirectory { get; set; }

        /// <summary>Save to this file; several results are numbered.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? OutFile { get; set; }

        /// <summary>Replace an existing file at -OutFile.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Where the call saves, resolved once on the pipeline thread; parameters no file could be saved with end the call.</summary>
        private protected ImageSaveTarget ResolveSaveTarget(AsyncPipeline pipeline, string what)
        {
            try
            {
                return pipeline.OnPipelineThread(() => OutputLocation.Resolve(this, OutputDirectory, OutFile, Force, what));
            }
            catch (ImageRequestException e)
            {
                throw Terminate(ErrorRecords.From(e, null));
            }
        }

        /// <summary>A reader of input images that resolves paths against this session's location.</summary>
        private protected InputImageResolver NewInputResolver(AsyncPipeline pipeline, string what) =>
            new InputImageResolver(pipeline, pipeline.OnPipelineThread(() => SessionState.Path), what);
    }
}
