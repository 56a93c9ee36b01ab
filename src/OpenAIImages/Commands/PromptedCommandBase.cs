using System;
using System.Management.Automation;
using OpenAIImages.Engine.Requests;
using OpenAIImages.Infrastructure;

namespace OpenAIImages.Commands
{
    /// <summary>What New-OpenAIImage and Edit-OpenAIImage share beyond the API basics: output options and streaming.</summary>
    public abstract class PromptedCommandBase : ApiCommandBase
    {
        // These bind from CSV rows and objects too, where an empty cell means "not given"; the engine checks their values.

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(ModelArgumentCompleter))]
        [BlankAsDefault(null)]
        public string? Background { get; set; }

        /// <summary>0 to 100, for jpeg and webp output.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [BlankAsDefault(null)]
        public int? OutputCompression { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(ModelArgumentCompleter))]
        [BlankAsDefault(null)]
        public string? Moderation { get; set; }

        /// <summary>
        /// The mainline model (for example gpt-5.5) that makes the image through the Responses API's image tool, for
        /// revised prompts and multi-turn editing; defaults to $env:OPENAI_RESPONSES_MODEL. Without either, the
        /// Images API is used. -Model stays the image model.
        /// </summary>
        [Parameter]
        public string? ResponsesModel { get; set; }

        /// <summary>Ask the Responses API not to store the response; it then cannot be continued.</summary>
        [Parameter]
        public SwitchParameter NoStore { get; set; }

        /// <summary>Stream the answer as server-sent events, showing progress as partial images arrive (GPT image models).</summary>
        [Parameter]
        public SwitchParameter Stream { get; set; }

        /// <summary>How many partial images to stream before the final one (0 to 3); needs -Stream.</summary>
        /// <remarks>The range is the engine's check (PartialImagesOutOfRange), as for every option a row can carry.</remarks>
        [Parameter]
        public int PartialImages { get; set; }

        /// <summary>Also write each partial image as an output object (IsPartial = $true), and save it when saving.</summary>
        [Parameter]
        public SwitchParameter IncludePartialImages { get; set; }

        /// <summary>Copies the shared output options and streaming switches into a request; -IncludePartialImages implies -Stream.</summary>
        protected void ApplySharedOptions(PromptedImageRequest request, int? count, string? outputFormat)
        {
            ApplyCommonOptions(request, count);
            request.Background = Background;
            // jpg is what people and file names call jpeg; the API knows only jpeg.
            request.OutputFormat = string.IsNullOrWhiteSpace(outputFormat) ? null
                : string.Equals(outputFormat!.Trim(), "jpg", StringComparison.OrdinalIgnoreCase) ? "jpeg" : outputFormat;
            request.OutputCompression = OutputCompression;
            request.Moderation = Moderation;
            request.Stream = Stream || IncludePartialImages || IsBound(nameof(PartialImages));
            if (IsBound(nameof(PartialImages))) request.PartialImages = PartialImages;
            else if (IncludePartialImages) request.PartialImages = 2;
            // Given, even empty (refused by the engine as no model), the parameter wins over the environment.
            request.ResponsesModel = IsBound(nameof(ResponsesModel)) ? ResponsesModel ?? "" : Blank(Environment.GetEnvironmentVariable(ResponsesModelVariable));
            request.Store = !NoStore;
        }

        /// <summary>The environment variable that sends New-OpenAIImage and Edit-OpenAIImage through the Responses API.</summary>
        internal const string ResponsesModelVariable = "OPENAI_RESPONSES_MODEL";

        private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value!.Trim();

        /// <summary>A progress reporter for one streamed request, or null when the request does not stream.</summary>
        private protected StreamProgressReporter? ReporterFor(AsyncPipeline pipeline, PreparedRequest prepared, string activity) =>
            prepared.Stream ? new StreamProgressReporter(pipeline, Progress.NextChildActivityId(), Progress.ActivityId, CallProgress.Shorten(activity), IncludePartialImages, SaveTarget) : null;
    }
}
