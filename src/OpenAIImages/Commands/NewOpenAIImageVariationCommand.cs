using System;
using System.Management.Automation;
using System.Threading.Tasks;
using OpenAIImages.Engine;
using OpenAIImages.Engine.Models;
using OpenAIImages.Engine.Requests;
using OpenAIImages.Engine.Results;
using OpenAIImages.Engine.Validation;
using OpenAIImages.Infrastructure;

namespace OpenAIImages.Commands
{
    /// <summary>New-OpenAIImageVariation: variations of an image (POST /v1/images/variations), one request per input image.</summary>
    [Cmdlet(VerbsCommon.New, "OpenAIImageVariation", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = PathSet)]
    [OutputType(typeof(GeneratedImage))]
    public sealed class NewOpenAIImageVariationCommand : ApiCommandBase
    {
        private const string PathSet = "Path";
        private const string LiteralPathSet = "LiteralPath";
        private const string InputObjectSet = "InputObject";

        [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipelineByPropertyName = true)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[] Path { get; set; } = Array.Empty<string>();

        [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
        [Alias("PSPath", "LP")]
        [ValidateNotNullOrEmpty]
        public string[] LiteralPath { get; set; } = Array.Empty<string>();

        [Parameter(Mandatory = true, ParameterSetName = InputObjectSet, ValueFromPipeline = true)]
        [ValidateNotNull]
        public object? InputObject { get; set; }

        // Model, Size and Count bind from CSV rows too, where an empty cell means the default.

        /// <summary>The model; dall-e-2, the only model the API documents for variations, unless a server offers others.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(ModelArgumentCompleter))]
        [BlankAsDefault(ModelCatalog.DefaultVariationModel)]
        public string Model { get; set; } = ModelCatalog.DefaultVariationModel;

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(ModelArgumentCompleter))]
        [BlankAsDefault(null)]
        public string? Size { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("n")]
        [BlankAsDefault(null)]
        public int? Count { get; set; }

        private protected override async Task ProcessRecordAsync(AsyncPipeline pipeline)
        {
            bool literal = ParameterSetName == LiteralPathSet;
            if (!await BeginItemAsync(pipeline, InputObject ?? string.Join(", ", literal ? LiteralPath : Path)).ConfigureAwait(false)) return;
            var inputs = await ReadInputImagesAsync(ParameterSetName == InputObjectSet, InputObject, literal ? LiteralPath : Path, literal).ConfigureAwait(false);
            foreach (var input in inputs)
            {
                Progress.CurrentItem = input.Source;
                var request = new ImageVariationRequest(input) { Model = Model, Size = Size };
                ApplyCommonOptions(request, Count);
                var prepared = await PrepareAsync(input.Source, () => ImageRequestValidator.Prepare(request)).ConfigureAwait(false);
                if (prepared == null) continue;
                if (!pipeline.ShouldProcess($"{request.Model} variation of {input.Source} x{prepared.ImageCount}{prepared.CostText}", "Create image variation")) continue;
                var client = ClientFor(pipeline);
                await EnqueueAsync(pipeline, input.Source, token => client.CreateVariationAsync(prepared, pipeline, token)).ConfigureAwait(false);
            }
        }
    }
}
