using System;
using System.Threading;
using System.Threading.Tasks;
using OpenAIImages.Engine.Http;
using OpenAIImages.Engine.Requests;
using OpenAIImages.Engine.Results;

namespace OpenAIImages.Engine.Files
{
    /// <summary>Where results are saved: a directory (names made from prompts) or a file name the user chose.</summary>
    public sealed class ImageSaveTarget
    {
        /// <summary>Full path of a directory; each image gets a new, unique name in it.</summary>
        public string? Directory { get; init; }

        /// <summary>Full path of a file; several images from one request are numbered (cat-1.png, cat-2.png).</summary>
        public string? FilePath { get; init; }

        /// <summary>Replace an existing file at <see cref="FilePath"/>.</summary>
        public bool Force { get; init; }

        public bool IsEmpty => Directory == null && FilePath == null;

        /// <summary>
        /// Refuses, before the request is paid for, to save over an existing file without <see cref="Force"/>: every
        /// name the request's images would get, numbered and with the extension of the format they will have.
        /// </summary>
        public void CheckFree(PreparedRequest prepared)
        {
            if (FilePath == null || Force) return;
            string extension = prepared.OutputFormat == "jpeg" ? ".jpg" : prepared.OutputFormat == "webp" ? ".webp" : ".png";
            for (int i = 0; i < prepared.ImageCount; i++)
            {
                string file = OutputFileNamer.ForOutFile(FilePath, i, prepared.ImageCount, extension);
                if (System.IO.File.Exists(file)) throw new OutputFileExistsException(file);
            }
        }
    }

    /// <summary>Saves results through <see cref="SafeFileWriter"/>, downloading URL-only images first.</summary>
    public static class ImageSaver
    {
        /// <summary>Saves one image of a request that returned <paramref name="imagesInRequest"/> images; sets and returns its Path.</summary>
        public static async Task<string> SaveAsync(GeneratedImage image, int imagesInRequest, ImageSaveTarget target, ProxySettings? proxy, CancellationToken cancellationToken)
        {
            if (target.IsEmpty) throw new ArgumentException("No save target.", nameof(target));
            await EnsureBytesAsync(image, proxy, cancellationToken).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            string extension = image.FileExtension;
            // Partial images of a stream get names of their own, so they never take the final image's name.
            string partial = image.IsPartial ? "-partial-" + ((image.PartialImageIndex ?? 0) + 1).ToString(System.Globalization.CultureInfo.InvariantCulture) : "";
            string path;
            if (target.FilePath != null)
            {
                string file = OutputFileNamer.ForOutFile(target.FilePath, image.Index, imagesInRequest, extension);
                if (partial.Length > 0) file = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(file) ?? "", System.IO.Path.GetFileNameWithoutExtension(file) + partial + System.IO.Path.GetExtension(file));
                path = SafeFileWriter.Write(file, image.Bytes!, target.Force);
            }
            else
            {
                path = SafeFileWriter.WriteUnique(target.Directory!, OutputFileNamer.StemFor(image.Prompt, image.Created ?? DateTimeOffset.Now, image.Index) + partial, extension, image.Bytes!);
            }
            image.Path = path;
            return path;
        }

        /// <summary>
        /// Saves every image of one request (when a target is set). A failed save is recorded, not thrown: the image
        /// still goes to the pipeline, so nothing that was paid for is lost.
        /// </summary>
        public static async Task<Batching.ItemResult> SaveAllAsync(System.Collections.Generic.IReadOnlyList<GeneratedImage> images, ImageSaveTarget? target, ProxySettings? proxy, CancellationToken cancellationToken)
        {
            var failures = new System.Collections.Generic.List<(GeneratedImage, Exception)>();
            if (target != null && !target.IsEmpty)
            {
                foreach (var image in images)
                {
                    try
                    {
                        await SaveAsync(image, images.Count, target, proxy, cancellationToken).ConfigureAwait(false);
                    }
                    catch (Exception e) when (e is OpenAIImagesException || e is System.IO.IOException || e is UnauthorizedAccessException)
                    {
                        failures.Add((image, e));
                    }
                }
            }
            return new Batching.ItemResult(images, failures);
        }

        /// <summary>Downloads a URL-only image's bytes into it; nothing to do when it has them.</summary>
        public static async Task EnsureBytesAsync(GeneratedImage image, ProxySettings? proxy, CancellationToken cancellationToken)
        {
            if (image.Bytes != null) return;
            if (image.Url == null) throw new InvalidOperationException("The image has neither bytes nor a URL.");
            image.SetBytes(await ImageDownloader.DownloadAsync(image.Url, OpenAIConnection.DefaultTimeout, cancellationToken, proxy).ConfigureAwait(false));
        }
    }
}
