using System;
using System.IO;
using System.Management.Automation;
using System.Threading.Tasks;
using OpenAIImages.Engine;
using OpenAIImages.Engine.Files;
using OpenAIImages.Engine.Imaging;
using OpenAIImages.Engine.Requests;
using OpenAIImages.Engine.Results;
using OpenAIImages.Engine.Validation;
using OpenAIImages.Infrastructure;

namespace OpenAIImages.Commands
{
    /// <summary>
    /// ConvertTo-AlphaMask: a black-and-white mask image to the PNG with alpha that the edits endpoint wants. The gray
    /// level (as PIL's convert("L") computes it) becomes the alpha: white stays, black becomes transparent and is
    /// edited.
    /// </summary>
    [Cmdlet(VerbsData.ConvertTo, "AlphaMask", DefaultParameterSetName = PathSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(MaskImage))]
    public sealed class ConvertToAlphaMaskCommand : AsyncPSCmdlet
    {
        /// <summary>Save each mask in this directory under a name made from its source.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [BlankAsDefault(null)]
        public string? OutputDirectory { get; set; }

        /// <summary>Save to this file; several masks are numbered.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [BlankAsDefault(null)]
        public string? OutFile { get; set; }

        /// <summary>Replace an existing file at -OutFile.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        // The save rules are the image cmdlets' (SaveTargetScope); this cmdlet talks to no server, so it is no API cmdlet.
        private readonly SaveTargetScope _saves = new SaveTargetScope();
        private ImageSaveTarget SaveTarget => _saves.Current;
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

        /// <summary>Mask images as objects: this module's images, byte arrays or FileInfo.</summary>
        [Parameter(Mandatory = true, ParameterSetName = InputObjectSet, ValueFromPipeline = true)]
        [ValidateNotNull]
        public object? InputObject { get; set; }

        /// <summary>Keep black instead: black areas stay and white areas are edited.</summary>
        [Parameter]
        public SwitchParameter Invert { get; set; }

        /// <summary>A hard edge: gray levels at or above this become opaque, the rest transparent.</summary>
        [Parameter]
        [ValidateRange(0, 255)]
        public int Threshold { get; set; }

        /// <summary>Resize the mask to the size of this image (a path or an image object), so it fits the image it is for.</summary>
        [Parameter]
        [ValidateNotNull]
        public object? MatchSize { get; set; }

        [Parameter]
        [ValidateRange(1, 16384)]
        public int Width { get; set; }

        [Parameter]
        [ValidateRange(1, 16384)]
        public int Height { get; set; }

        /// <summary>How to resize: Bilinear (smooth edges, as PIL's BILINEAR) or Nearest (hard edges).</summary>
        [Parameter]
        public MaskResamplingMode Resampling { get; set; } = MaskResamplingMode.Bilinear;

        private AlphaMaskOptions? _options;
        private InputImageResolver? _inputs;
        private int _written;

        private protected override async Task BeginProcessingAsync(AsyncPipeline pipeline)
        {
            try
            {
                _saves.ForCall(this, pipeline, OutputDirectory, OutFile, Force, "masks");
            }
            catch (ImageRequestException e)
            {
                throw Terminate(ErrorRecords.From(e, null));
            }
            _inputs = new InputImageResolver(pipeline, pipeline.OnPipelineThread(() => SessionState.Path), "mask");
            if (MatchSize != null && (IsBound(nameof(Width)) || IsBound(nameof(Height))))
                throw Refuse(ErrorIds.MatchSizeAndDimensions, "Give -MatchSize or -Width and -Height, not both.");
            if (IsBound(nameof(Width)) != IsBound(nameof(Height)))
                throw Refuse(ErrorIds.DimensionMissing, "-Width and -Height go together: give both.");

            int? width = IsBound(nameof(Width)) ? Width : (int?)null;
            int? height = IsBound(nameof(Height)) ? Height : (int?)null;
            if (MatchSize != null)
            {
                try
                {
                    var reference = await _inputs.FromObjectAsync(MatchSize, "-MatchSize image", null, CancelToken).ConfigureAwait(false);
                    if (reference.Info == null)
                        throw new ImageRequestException(ErrorIds.ImageFormatUnsupported, $"-MatchSize '{reference.Source}' is not a PNG, JPEG or WebP image, so its size is unknown.", "MatchSize");
                    width = reference.Info.Width;
                    height = reference.Info.Height;
                }
                catch (OpenAIImagesException e)
                {
                    throw Terminate(ErrorRecords.From(e, MatchSize));
                }
            }
            _options = new AlphaMaskOptions
            {
                Invert = Invert,
                Threshold = IsBound(nameof(Threshold)) ? Threshold : (int?)null,
                Width = width,
                Height = height,
                Resampling = Resampling == MaskResamplingMode.Nearest ? MaskResampling.Nearest : MaskResampling.Bilinear,
            };
        }

        private protected override async Task ProcessRecordAsync(AsyncPipeline pipeline)
        {
            bool literal = ParameterSetName == LiteralPathSet;
            try
            {
                _saves.ForItem(this, pipeline, IsFromItem(nameof(OutputDirectory)) ? OutputDirectory : null, IsFromItem(nameof(OutFile)) ? OutFile : null, Force);
            }
            catch (OpenAIImagesException e)
            {
                pipeline.WriteError(ErrorRecords.From(e, InputObject ?? string.Join(", ", literal ? LiteralPath : Path)));
                return;
            }
            var inputs = await _inputs!.ReadAsync(ParameterSetName == InputObjectSet, InputObject, literal ? LiteralPath : Path, literal, null, (target, error) =>
            {
                pipeline.WriteError(ErrorRecords.From(error, target));
                return Task.CompletedTask;
            }, CancelToken).ConfigureAwait(false);

            foreach (var input in inputs)
            {
                CancelToken.ThrowIfCancellationRequested();
                try
                {
                    byte[] png = AlphaMask.ToPng(input.Data, _options);
                    var info = ImageInfo.TryRead(png)!;
                    var mask = new MaskImage(png, info.Width, info.Height, input.Source);
                    if (!SaveTarget.IsEmpty)
                    {
                        // Masks are PNG whatever -OutFile's extension says; a second mask of the call gets -2, and so on.
                        string? file = SaveTarget.FilePath == null ? null : OutputFileNamer.ForOutFile(SaveTarget.FilePath, _written, _written == 0 ? 1 : _written + 1, ".png");
                        string target = file ?? System.IO.Path.Combine(SaveTarget.Directory!, StemOf(input) + ".png");
                        if (!pipeline.ShouldProcess(target, "Write alpha mask")) continue;
                        if (file != null) mask.Save(file, SaveTarget.Force);
                        else mask.SaveToDirectory(SaveTarget.Directory!, StemOf(input));
                        _written++;
                        pipeline.WriteVerbose($"Saved {mask.Path}");
                    }
                    pipeline.WriteObject(mask);
                }
                catch (Exception e) when (e is OpenAIImagesException || e is IOException || e is UnauthorizedAccessException)
                {
                    pipeline.WriteError(ErrorRecords.From(e, input.Source));
                }
            }
        }

        private static string StemOf(ImageInput input)
        {
            string name = System.IO.Path.GetFileNameWithoutExtension(input.Source);
            return OutputFileNamer.StemFromPrompt(string.IsNullOrEmpty(name) ? "mask" : name) + "-alpha";
        }
    }

    /// <summary>
    /// Resampling for -Resampling, named as PIL names them. The engine's MaskResampling cannot be the parameter's type:
    /// a public cmdlet type may not hold an engine type by value (see ModuleInitializer).
    /// </summary>
    public enum MaskResamplingMode
    {
        Bilinear,
        Nearest,
    }
}
