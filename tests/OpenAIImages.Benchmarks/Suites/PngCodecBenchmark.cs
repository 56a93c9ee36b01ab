using OpenAIImages.Benchmarks.Measuring;
using OpenAIImages.Benchmarks.Payload;
using OpenAIImages.Benchmarks.Report;
using OpenAIImages.Engine.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace OpenAIImages.Benchmarks.Suites;

/// <summary>
/// The PNG codec against SixLabors.ImageSharp 2.1.13, the fastest managed codec at hand, on the same bytes in one
/// run: decoding a 4096x4096 painted mask and a 1536x1024 photo-like image to RGBA, and encoding the photo-like image.
/// Medians of alternating calls after a warm-up; pixels are checked identical.
/// </summary>
public sealed class PngCodecBenchmark
{
    private const string Area = "PNG codec";
    private readonly BenchmarkOptions _options;

    public PngCodecBenchmark(BenchmarkOptions options) => _options = options;

    public Task<IReadOnlyList<ResultRow>> RunAsync(ResultTable table)
    {
        Console.WriteLine("png: building a 4096x4096 mask and a 1536x1024 photo-like PNG...");
        byte[] mask = PaintedMask.Png(4096);
        byte[] photo = NoisyImages.Png(1536, 1024, seed: 5, noiseSpan: 75);
        int rounds = _options.Quick ? 5 : 11;

        var (maskOurs, maskTheirs) = Decode(mask, rounds);
        var (photoOurs, photoTheirs) = Decode(photo, rounds);
        // The same pixels as RGBA with every row Paeth-filtered: the filter libpng's heuristic picks most often on
        // photographs, and the one with the most work per byte to undo.
        byte[] paeth = PngEncoder.Encode(PngDecoder.Decode(photo), new PngEncoderOptions { Filter = PngFilterStrategy.Paeth });
        var (paethOurs, paethTheirs) = Decode(paeth, rounds);

        var pixels = PngDecoder.Decode(photo);
        using var image = SixLabors.ImageSharp.Image.LoadPixelData<Rgba32>(pixels.Pixels, pixels.Width, pixels.Height);
        var encoderOurs = new List<double>();
        var encoderTheirs = new List<double>();
        for (int i = 0; i < rounds + 1; i++)
        {
            var ours = Sample.Take(() => PngEncoder.Encode(pixels));
            var theirs = Sample.Take(() =>
            {
                using var output = new MemoryStream();
                image.SaveAsPng(output);
            });
            if (i == 0) continue;
            encoderOurs.Add(ours.Milliseconds);
            encoderTheirs.Add(theirs.Milliseconds);
        }
        double encOurs = Stats.Median(encoderOurs), encTheirs = Stats.Median(encoderTheirs);

        table.Note($"PNG codec: a {mask.Length / 1024:N0} KiB 4096x4096 painted mask, a {photo.Length / 1024:N0} KiB 1536x1024 photo-like PNG (RGB noise on gradients) and the same pixels as a {paeth.Length / 1024:N0} KiB RGBA PNG with every row Paeth-filtered, decoded to RGBA by the engine's PngDecoder and by ImageSharp 2.1.13's Image.Load<Rgba32>, pixels compared, each image given back after the call (ReleasePixels, Dispose) so that both decode into memory they keep; the photo encoded by PngEncoder and by ImageSharp's SaveAsPng with its defaults. Medians of {rounds} alternating calls after one warm-up.");
        IReadOnlyList<ResultRow> rows = new[]
        {
            ResultRow.Check(Area, "decode 4096x4096 mask, ours / ImageSharp 2.1.13", $"{Format.Ratio(maskOurs / maskTheirs)} ({Format.Ms(maskOurs)})", $"ImageSharp {Format.Ms(maskTheirs)}", "<= 1.00x", maskOurs <= maskTheirs),
            ResultRow.Check(Area, "decode 1536x1024 photo-like, ours / ImageSharp 2.1.13", $"{Format.Ratio(photoOurs / photoTheirs)} ({Format.Ms(photoOurs)})", $"ImageSharp {Format.Ms(photoTheirs)}", "<= 1.00x", photoOurs <= photoTheirs),
            ResultRow.Info(Area, "decode 1536x1024 photo-like RGBA, every row Paeth, ours / ImageSharp 2.1.13", $"{Format.Ratio(paethOurs / paethTheirs)} ({Format.Ms(paethOurs)})", $"ImageSharp {Format.Ms(paethTheirs)}"),
            ResultRow.Check(Area, "encode 1536x1024 photo-like, ImageSharp / ours", $"{Format.Ratio(encTheirs / encOurs)} ({Format.Ms(encOurs)})", $"ImageSharp {Format.Ms(encTheirs)}", ">= 2.50x", encTheirs >= 2.5 * encOurs),
        };
        return Task.FromResult(rows);
    }

    private static (double Ours, double Theirs) Decode(byte[] png, int rounds)
    {
        var ours = PngDecoder.Decode(png);
        using (var check = SixLabors.ImageSharp.Image.Load<Rgba32>(png))
        {
            var theirs = new byte[check.Width * check.Height * 4];
            check.CopyPixelDataTo(theirs);
            if (!theirs.AsSpan().SequenceEqual(ours.Pixels)) throw new InvalidOperationException("The two decoders gave different pixels.");
        }
        var a = new List<double>();
        var b = new List<double>();
        for (int i = 0; i < rounds + 1; i++)
        {
            // Each decoded image is given back, as ImageSharp's is disposed: both then decode into memory they already hold.
            var x = Sample.Take(() => PngDecoder.Decode(png).ReleasePixels());
            var y = Sample.Take(() => SixLabors.ImageSharp.Image.Load<Rgba32>(png).Dispose());
            if (i == 0) continue;
            a.Add(x.Milliseconds);
            b.Add(y.Milliseconds);
        }
        return (Stats.Median(a), Stats.Median(b));
    }
}
