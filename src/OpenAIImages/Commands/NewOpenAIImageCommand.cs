using System;
using System.Globalization;
using System.Management.Automation;
using System.Threading.Tasks;
using OpenAIImages.Engine;
using OpenAIImages.Engine.Http;
using OpenAIImages.Engine.Models;
using OpenAIImages.Engine.Requests;
using OpenAIImages.Engine.Results;
using OpenAIImages.Engine.Validation;
using OpenAIImages.Infrastructure;

namespace OpenAIImages.Commands
{
    /// <summary>New-OpenAIImage: a text prompt to images (POST /v1/images/generations).</summary>
    [Cmdlet(VerbsCommon.New, "OpenAIImage", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(GeneratedImage))]
    public sealed class NewOpenAIImageCommand : PromptedCommandBase
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [PromptTransformation]
        [ValidateNotNullOrEmpty]
        public string Prompt { get; set; } = "";

        // Model, Size and Quality bind from CSV columns too, where an empty cell means "the default": an empty value is
        // taken as not given rather than refused, so a sheet can set them on some rows only.

        /// <summary>The model; defaults to $env:OPENAI_IMAGE_MODEL, then gpt-image-2.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(ModelArgumentCompleter))]
        public string? Model { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(ModelArgumentCompleter))]
        public string? Size { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(ModelArgumentCompleter))]
        public string? Quality { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(ModelArgumentCompleter))]
        [BlankAsDefault(null)]
        public string? Style { get; set; }

        /// <summary>Binds from CSV rows too, where an empty cell means the default.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("n")]
        [BlankAsDefault(null)]
        public int? Count { get; set; }

        /// <summary>Binds from CSV rows too, where an empty cell means the default.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(ModelArgumentCompleter))]
        public string? OutputFormat { get; set; }

        private protected override async Task ProcessRecordAsync(AsyncPipeline pipeline)
        {
            if (!await BeginItemAsync(pipeline, Prompt).ConfigureAwait(false)) return;
            var request = new ImageGenerationRequest
            {
                Prompt = Prompt,
                Model = NullIfEmpty(Model) ?? ConnectionResolver.DefaultModel(Environment.GetEnvironmentVariable, ModelCatalog.DefaultModel),
                Size = NullIfEmpty(Size),
                Quality = NullIfEmpty(Quality),
                Style = Style,
            };
            ApplySharedOptions(request, Count, OutputFormat);
            Progress.CurrentItem = Prompt;
            var prepared = await PrepareAsync(Prompt, () => ImageRequestValidator.Prepare(request)).ConfigureAwait(false);
            if (prepared == null) return;
            if (Batch != null)
            {
                Batch.AddGeneration(prepared);
                return;
            }
            if (!pipeline.ShouldProcess(Describe(prepared), "Generate image")) return;
            var client = ClientFor(pipeline);
            var reporter = ReporterFor(pipeline, prepared, Prompt);
            await EnqueueAsync(pipeline, Prompt, token => client.GenerateAsync(prepared, pipeline, token, reporter), reporter == null ? null : reporter.Complete).ConfigureAwait(false);
        }

        private protected override async Task BeginProcessingAsync(AsyncPipeline pipeline)
        {
            await base.BeginProcessingAsync(pipeline).ConfigureAwait(false);
            BeginBatch("/v1/images/generations");
        }

        private protected override async Task EndProcessingAsync(AsyncPipeline pipeline)
        {
            await EndBatchAsync(pipeline).ConfigureAwait(false);
            await base.EndProcessingAsync(pipeline).ConfigureAwait(false);
        }

        private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

        /// <summary>What -WhatIf and -Confirm show: model, size, count and the output tokens it will likely cost.</summary>
        internal static string Describe(PreparedRequest<ImageGenerationRequest> prepared)
        {
            string size = prepared.SizeText ?? "default size";
            return $"{prepared.Request.Model} {size} x{prepared.ImageCount}{prepared.RouteText}{prepared.CostText}: {CallProgress.Shorten(prepared.Request.Prompt)}";
        }
    }
}
