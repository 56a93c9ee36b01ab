using System;
using System.Globalization;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading.Tasks;
using OpenAIImages.Engine;
using OpenAIImages.Engine.Batches;
using OpenAIImages.Engine.Http;
using OpenAIImages.Engine.Models;
using OpenAIImages.Engine.Requests;
using OpenAIImages.Engine.Results;
using OpenAIImages.Engine.Validation;
using OpenAIImages.Infrastructure;

namespace OpenAIImages.Commands
{
    /// <summary>
    /// Edit-OpenAIImage: images plus a prompt to new images (POST /v1/images/edits). Without -Combine every input image
    /// is edited on its own (one request each, for batch work on a folder); with -Combine all input images go in one
    /// request as references (up to 16). The mask applies to the first image.
    /// </summary>
    [Cmdlet(VerbsData.Edit, "OpenAIImage", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = PathSet)]
    [OutputType(typeof(GeneratedImage))]
    public sealed class EditOpenAIImageCommand : PromptedCommandBase
    {
        private const string PathSet = "Path";
        private const string LiteralPathSet = "LiteralPath";
        private const string InputObjectSet = "InputObject";
        private const string ImageUrlSet = "ImageUrl";
        private const string FileIdSet = "FileId";
        private const string ContinueSet = "Continue";

        /// <summary>Binds from CSV rows too; an image of this module, whose Prompt made it, needs one given here.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string Prompt { get; set; } = "";

        [Parameter(Mandatory = true, Position = 1, ParameterSetName = PathSet, ValueFromPipelineByPropertyName = true)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[] Path { get; set; } = Array.Empty<string>();

        [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
        [Alias("PSPath", "LP")]
        [ValidateNotNullOrEmpty]
        public string[] LiteralPath { get; set; } = Array.Empty<string>();

        /// <summary>This module's images, byte arrays or FileInfo objects, usually from the pipeline.</summary>
        [Parameter(Mandatory = true, ParameterSetName = InputObjectSet, ValueFromPipeline = true)]
        [ValidateNotNull]
        public object? InputObject { get; set; }

        /// <summary>Images the server fetches itself (https or data: URLs); sent as JSON.</summary>
        /// <remarks>
        /// In the ImageUrl set only. Were it also an optional member of the FileId set (as -FileId is of this one),
        /// -ImageUrl with -FileId would satisfy both sets and PowerShell would refuse the call as ambiguous; as it is,
        /// both together resolve to ImageUrl, and -FileId alone to FileId.
        /// </remarks>
        [Parameter(Mandatory = true, ParameterSetName = ImageUrlSet)]
        [ValidateNotNullOrEmpty]
        public string[]? ImageUrl { get; set; }

        /// <summary>Ids of images uploaded with the Files API; sent as JSON. Goes with -ImageUrl, or alone.</summary>
        [Parameter(Mandatory = true, ParameterSetName = FileIdSet)]
        [Parameter(ParameterSetName = ImageUrlSet)]
        [ValidateNotNullOrEmpty]
        public string[]? FileId { get; set; }

        /// <summary>
        /// Continue this Responses API response (resp_...): the model edits the image it made there, and no image is
        /// uploaded. An image made through the Responses API and piped in continues its own response the same way.
        /// </summary>
        [Parameter(Mandatory = true, ParameterSetName = ContinueSet, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string? PreviousResponseId { get; set; }

        /// <summary>A PNG with alpha (a path, FileInfo, byte array, or an object from ConvertTo-AlphaMask); transparent pixels are edited.</summary>
        /// <remarks>Binds from CSV rows too (a Mask column of paths), each row's mask read for that row.</remarks>
        [Parameter(ParameterSetName = PathSet, ValueFromPipelineByPropertyName = true)]
        [Parameter(ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
        [Parameter(ParameterSetName = InputObjectSet, ValueFromPipelineByPropertyName = true)]
        [Parameter(ParameterSetName = ContinueSet)]
        [BlankAsDefault(null)]
        public object? Mask { get; set; }

        [Parameter(ParameterSetName = ImageUrlSet)]
        [Parameter(ParameterSetName = FileIdSet)]
        [ValidateNotNullOrEmpty]
        public string? MaskUrl { get; set; }

        [Parameter(ParameterSetName = ImageUrlSet)]
        [Parameter(ParameterSetName = FileIdSet)]
        [ValidateNotNullOrEmpty]
        public string? MaskFileId { get; set; }

        /// <summary>Send all input images in one request as references, instead of one request per image.</summary>
        [Parameter(ParameterSetName = PathSet)]
        [Parameter(ParameterSetName = LiteralPathSet)]
        [Parameter(ParameterSetName = InputObjectSet)]
        public SwitchParameter Combine { get; set; }

        // The options of each edit bind from CSV rows too, where an empty cell means the default. From an image of
        // this module they are not taken: its Model, Size and the rest describe the input, not the edit.

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(ModelArgumentCompleter))]
        [BlankAsDefault(null)]
        public string? Model { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(ModelArgumentCompleter))]
        [BlankAsDefault(null)]
        public string? Size { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(ModelArgumentCompleter))]
        [BlankAsDefault(null)]
        public string? Quality { get; set; }

        /// <summary>high or low: how closely the edit keeps the input's features (faces, logos).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(ModelArgumentCompleter))]
        [BlankAsDefault(null)]
        public string? InputFidelity { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("n")]
        [BlankAsDefault(null)]
        public int? Count { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(ModelArgumentCompleter))]
        [BlankAsDefault(null)]
        public string? OutputFormat { get; set; }

        private readonly List<ImageInput> _combined = new List<ImageInput>();
        private ImageInput? _mask;

        private bool _promptGiven;

        private protected override Task BeginProcessingAsync(AsyncPipeline pipeline)
        {
            // Bound before the first pipeline item: given on the command line, not taken from an item.
            _promptGiven = IsBound(nameof(Prompt));
            return StartAsync(pipeline);
        }

        private async Task StartAsync(AsyncPipeline pipeline)
        {
            await base.BeginProcessingAsync(pipeline).ConfigureAwait(false);
            BeginBatch("/v1/images/edits");
        }

        private protected override async Task ProcessRecordAsync(AsyncPipeline pipeline)
        {
            if (!_promptGiven && (InputObject is PSObject wrapped ? wrapped.BaseObject : InputObject) is GeneratedImage)
            {
                // Its Prompt property is the prompt that made it, which PowerShell would bind here: say what to change.
                await EnqueueFailureAsync(InputObject, new ImageRequestException(ErrorIds.PromptEmpty,
                    "Give -Prompt with the change to make: an image piped from this module carries the prompt that made it, not an edit.", "prompt")).ConfigureAwait(false);
                return;
            }
            if (!await BeginItemAsync(pipeline, InputObject ?? string.Join(", ", ParameterSetName == LiteralPathSet ? LiteralPath : Path)).ConfigureAwait(false)) return;
            if (ParameterSetName == ContinueSet)
            {
                var continued = NewRequest();
                continued.PreviousResponseId = PreviousResponseId;
                if (await AttachMaskAsync(continued, PreviousResponseId!).ConfigureAwait(false)) await SendAsync(pipeline, continued, PreviousResponseId!).ConfigureAwait(false);
                return;
            }
            if (!Combine && Batch == null && (InputObject is PSObject boxed ? boxed.BaseObject : InputObject) is GeneratedImage { ResponseId: string responseId } made)
            {
                // An image made through the Responses API continues its conversation: the model keeps the context, and
                // no image bytes are uploaded again.
                if (made.ResponseStored == false)
                {
                    await EnqueueFailureAsync(InputObject, new ImageRequestException(ErrorIds.ResponseNotStored,
                        $"The response {responseId} that made this image was not stored (-NoStore), so it cannot be continued. Edit the image's bytes instead: pipe $image.Bytes, or save it and use -Path.", "previous_response_id")).ConfigureAwait(false);
                    return;
                }
                var next = NewRequest();
                next.PreviousResponseId = responseId;
                next.ResponsesModel ??= made.ResponsesModel;
                if (await AttachMaskAsync(next, responseId).ConfigureAwait(false)) await SendAsync(pipeline, next, responseId).ConfigureAwait(false);
                return;
            }
            if (ParameterSetName == ImageUrlSet || ParameterSetName == FileIdSet)
            {
                var request = NewRequest();
                foreach (var url in ImageUrl ?? Array.Empty<string>()) request.References.Add(ImageReference.FromUrl(url));
                foreach (var id in FileId ?? Array.Empty<string>()) request.References.Add(ImageReference.FromFileId(id));
                if (MaskUrl != null) request.MaskReference = ImageReference.FromUrl(MaskUrl);
                if (MaskFileId != null) request.MaskReference = ImageReference.FromFileId(MaskFileId);
                await SendAsync(pipeline, request, string.Join(", ", request.References)).ConfigureAwait(false);
                return;
            }

            bool literal = ParameterSetName == LiteralPathSet;
            foreach (var input in await ReadInputImagesAsync(ParameterSetName == InputObjectSet, InputObject, literal ? LiteralPath : Path, literal).ConfigureAwait(false))
            {
                if (Combine)
                {
                    _combined.Add(input);
                    continue;
                }
                var request = NewRequest();
                request.Images.Add(input);
                if (!await AttachMaskAsync(request, input.Source).ConfigureAwait(false)) continue;
                await SendAsync(pipeline, request, input.Source).ConfigureAwait(false);
            }
        }

        private protected override async Task EndProcessingAsync(AsyncPipeline pipeline)
        {
            if (Combine && _combined.Count > 0)
            {
                var request = NewRequest();
                request.Images.AddRange(_combined);
                string what = $"{_combined.Count} images: {string.Join(", ", _combined.Select(i => System.IO.Path.GetFileName(i.Source)))}";
                if (await AttachMaskAsync(request, what).ConfigureAwait(false)) await SendAsync(pipeline, request, what).ConfigureAwait(false);
            }
            await EndBatchAsync(pipeline).ConfigureAwait(false);
            await base.EndProcessingAsync(pipeline).ConfigureAwait(false);
        }

        private readonly Dictionary<string, string> _uploaded = new Dictionary<string, string>(StringComparer.Ordinal);

        /// <summary>
        /// An edit for a batch: checked as uploads first (above), then sent as the JSON body with every local image and
        /// mask uploaded through the Files API once (the same bytes are uploaded once per call) and named by file id.
        /// </summary>
        private async Task AddToBatchAsync(AsyncPipeline pipeline, ImageEditRequest checkedRequest, string what)
        {
            var request = NewRequest();
            try
            {
                foreach (var image in checkedRequest.Images) request.References.Add(ImageReference.FromFileId(await UploadOnceAsync(pipeline, image).ConfigureAwait(false)));
                request.References.AddRange(checkedRequest.References);
                request.MaskReference = checkedRequest.Mask != null ? ImageReference.FromFileId(await UploadOnceAsync(pipeline, checkedRequest.Mask).ConfigureAwait(false)) : checkedRequest.MaskReference;
            }
            catch (OpenAIImagesException e)
            {
                await EnqueueFailureAsync(what, e).ConfigureAwait(false);
                return;
            }
            var prepared = await PrepareAsync(what, () => ImageRequestValidator.Prepare(request)).ConfigureAwait(false);
            if (prepared != null) Batch!.AddEdit(prepared, what);
        }

        private async Task<string> UploadOnceAsync(AsyncPipeline pipeline, ImageInput image)
        {
            string key;
            using (var sha = System.Security.Cryptography.SHA256.Create()) key = Convert.ToBase64String(sha.ComputeHash(image.Data));
            if (_uploaded.TryGetValue(key, out string? known)) return known;
            // -WhatIf uploads nothing: the batch is only described.
            string id = IsBound("WhatIf") && ((SwitchParameter)MyInvocation.BoundParameters["WhatIf"]).IsPresent
                ? "file-whatif-" + (_uploaded.Count + 1).ToString(CultureInfo.InvariantCulture)
                : await (_batchClient ??= new OpenAIBatchClient(ClientFor(pipeline).Connection)).UploadImageAsync(image, pipeline, CancelToken).ConfigureAwait(false);
            _uploaded[key] = id;
            Batch!.Journal.Uploads.Add(new JournalUpload { Source = image.Source, FileId = id });
            return id;
        }

        private OpenAIBatchClient? _batchClient;

        private ImageEditRequest NewRequest()
        {
            var request = new ImageEditRequest
            {
                Prompt = Prompt,
                Model = Model ?? ConnectionResolver.DefaultModel(Environment.GetEnvironmentVariable, ModelCatalog.DefaultModel),
                Size = Size,
                Quality = Quality,
                InputFidelity = InputFidelity,
            };
            ApplySharedOptions(request, Count, OutputFormat);
            return request;
        }

        /// <summary>
        /// Attaches the mask. -Mask from the command line is read once, and when it cannot be read the call ends, as no
        /// edit could use it; a mask from a CSV row is read for that row, and when it cannot be read that row fails
        /// (false) and the rest go on.
        /// </summary>
        private async Task<bool> AttachMaskAsync(ImageEditRequest request, string what)
        {
            if (Mask == null) return true;
            bool perItem = IsFromItem(nameof(Mask));
            if (_mask == null || perItem)
            {
                try
                {
                    var mask = await Inputs!.FromObjectAsync(Mask, "mask", ProxyOrDefault, CancelToken).ConfigureAwait(false);
                    if (!perItem) _mask = mask;
                    request.Mask = mask;
                    return true;
                }
                catch (OpenAIImagesException e)
                {
                    var wrapped = e is ImageRequestException r && r.ErrorId == ErrorIds.ImageFormatUnsupported
                        ? new ImageRequestException(ErrorIds.MaskFormatUnsupported, e.Message, "mask") : e;
                    if (!perItem) throw Terminate(ErrorRecords.From(wrapped, Mask));
                    await EnqueueFailureAsync(what, wrapped).ConfigureAwait(false);
                    return false;
                }
            }
            request.Mask = _mask;
            return true;
        }

        private async Task SendAsync(AsyncPipeline pipeline, ImageEditRequest request, string what)
        {
            Progress.CurrentItem = what;
            var prepared = await PrepareAsync(what, () => ImageRequestValidator.Prepare(request)).ConfigureAwait(false);
            if (prepared == null) return;
            if (Batch != null)
            {
                await AddToBatchAsync(pipeline, request, what).ConfigureAwait(false);
                return;
            }
            string target = $"{request.Model} edit of {what}{(request.Mask != null || request.MaskReference != null ? " with mask" : "")} x{prepared.ImageCount}{prepared.RouteText}{prepared.CostText}: {CallProgress.Shorten(Prompt)}";
            if (!pipeline.ShouldProcess(target, "Edit image")) return;
            var client = ClientFor(pipeline);
            var reporter = ReporterFor(pipeline, prepared, what);
            await EnqueueAsync(pipeline, what, token => client.EditAsync(prepared, pipeline, token, reporter), reporter == null ? null : reporter.Complete).ConfigureAwait(false);
        }
    }
}
