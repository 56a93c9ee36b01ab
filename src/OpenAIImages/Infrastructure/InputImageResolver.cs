using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using System.Reflection;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.PowerShell.Commands;
using OpenAIImages.Engine;
using OpenAIImages.Engine.Files;
using OpenAIImages.Engine.Http;
using OpenAIImages.Engine.Requests;
using OpenAIImages.Engine.Results;
using OpenAIImages.Engine.Validation;

namespace OpenAIImages.Infrastructure
{
    /// <summary>
    /// Turns what users hand the cmdlets (paths with or without wildcards, FileInfo, byte arrays, this module's own
    /// results and masks) into input images. Paths are resolved against the current PowerShell location.
    /// </summary>
    internal sealed class InputImageResolver
    {
        private readonly AsyncPipeline _pipeline;
        private readonly PathIntrinsics _paths;
        private readonly string _what;
        private int _pipelineIndex;

        /// <param name="pipeline">Carries path resolution to the pipeline thread, where session state lives.</param>
        /// <param name="paths">The session's path resolution (SessionState.Path), taken on the pipeline thread.</param>
        /// <param name="what">What the inputs are, for messages: "image", or "mask".</param>
        public InputImageResolver(AsyncPipeline pipeline, PathIntrinsics paths, string what)
        {
            _pipeline = pipeline;
            _paths = paths;
            _what = what;
        }

        /// <summary>File-system paths for -Path (wildcards expanded) or -LiteralPath; each path that fails is collected, not thrown. Pipeline thread only.</summary>
        private static List<string> ResolvePaths(PathIntrinsics sessionPaths, IEnumerable<string> paths, bool literal, List<(string Path, OpenAIImagesException Error)> failures)
        {
            var result = new List<string>();
            foreach (string path in paths)
            {
                try
                {
                    if (literal)
                    {
                        string full = sessionPaths.GetUnresolvedProviderPathFromPSPath(path, out ProviderInfo provider, out _);
                        RequireFileSystem(provider, path);
                        if (Directory.Exists(full)) throw Folder(path);
                        if (!File.Exists(full)) throw NotFound(path);
                        result.Add(full);
                    }
                    else
                    {
                        var resolved = sessionPaths.GetResolvedProviderPathFromPSPath(path, out ProviderInfo provider);
                        RequireFileSystem(provider, path);
                        if (resolved.Count == 0) throw NotFound(path);
                        // A pattern may match folders as well as images, and they are passed over; a folder named as
                        // itself is an error for that path.
                        bool pattern = WildcardPattern.ContainsWildcardCharacters(path);
                        foreach (string full in resolved)
                        {
                            if (!Directory.Exists(full)) result.Add(full);
                            else if (!pattern) throw Folder(path);
                        }
                    }
                }
                catch (ItemNotFoundException)
                {
                    failures.Add((path, NotFound(path)));
                }
                catch (SessionStateException e)
                {
                    // A drive or provider that does not exist (Q:\x.png, NoSuch::x.png): that path only, like a missing file.
                    failures.Add((path, Unreachable(path, e)));
                }
                catch (WildcardPatternException e)
                {
                    failures.Add((path, BadPattern(path, e)));
                }
                catch (ProviderInvocationException e)
                {
                    // The provider failed on this path (a folder it may not list; a pattern it parsed itself and
                    // refused, wrapped): that path only, and the rest goes on.
                    failures.Add((path, e.InnerException is WildcardPatternException pattern ? BadPattern(path, pattern) : Unreachable(path, e)));
                }
                catch (ImageRequestException e)
                {
                    failures.Add((path, e));
                }
            }
            return result;
        }

        /// <summary>
        /// The input images of one pipeline item: the object itself (InputObject), or the files that -Path
        /// (wildcards) or -LiteralPath name. Each one that cannot be read goes to <paramref name="onFailure"/> and is
        /// skipped; the rest go on.
        /// </summary>
        public async Task<List<ImageInput>> ReadAsync(bool fromInputObject, object? inputObject, string[] paths, bool literal, ProxySettings? proxy, Func<object?, OpenAIImagesException, Task> onFailure, CancellationToken cancellationToken)
        {
            var inputs = new List<ImageInput>();
            if (fromInputObject)
            {
                // A partial image is a preview of a final image that follows it down the pipeline: using it would pay
                // for a request whose result is thrown away.
                if ((inputObject is PSObject wrapped ? wrapped.BaseObject : inputObject) is GeneratedImage { IsPartial: true } partial)
                {
                    _pipeline.WriteVerbose($"Passed over a partial image of '{partial.Prompt}': partial images are previews, and the final image follows.");
                    return inputs;
                }
                try
                {
                    inputs.Add(await FromObjectAsync(inputObject, $"{_what} {++_pipelineIndex} from the pipeline", proxy, cancellationToken).ConfigureAwait(false));
                }
                catch (OpenAIImagesException e)
                {
                    await onFailure(inputObject, e).ConfigureAwait(false);
                }
                return inputs;
            }

            var failures = new List<(string Path, OpenAIImagesException Error)>();
            var resolved = _pipeline.OnPipelineThread(() => ResolvePaths(_paths, paths, literal, failures));
            foreach (var (path, error) in failures) await onFailure(path, error).ConfigureAwait(false);
            foreach (string path in resolved)
            {
                try
                {
                    inputs.Add(ReadFile(path));
                }
                catch (OpenAIImagesException e)
                {
                    await onFailure(path, e).ConfigureAwait(false);
                }
            }
            return inputs;
        }

        /// <summary>An image from a pipeline object; throws <see cref="ImageRequestException"/> for what is not an image.</summary>
        public async Task<ImageInput> FromObjectAsync(object? value, string description, ProxySettings? proxy, CancellationToken cancellationToken)
        {
            // Rows from Import-Csv and other property bags bind to -InputObject by value before -Path and -LiteralPath
            // are tried by property name, so their path properties are read here.
            if (value is PSObject bag && bag.BaseObject is PSCustomObject && PathProperty(bag) is string rowPath)
                return FromPath(rowPath);
            object? item = value is PSObject wrapped ? wrapped.BaseObject : value;
            switch (item)
            {
                case null:
                    throw new ImageRequestException(ErrorIds.ImageMissing, "The input object is empty.", "image");
                case GeneratedImage image:
                    if (image.Bytes == null && image.Url != null)
                        await ImageSaver.EnsureBytesAsync(image, proxy, cancellationToken).ConfigureAwait(false);
                    if (image.Bytes == null) throw new ImageRequestException(ErrorIds.ImageMissing, $"The {description} has no image bytes.", "image");
                    return new ImageInput(image.Bytes, image.Path ?? $"{description} ({image.Model} {image.Size})");
                case MaskImage mask:
                    return new ImageInput(mask.Bytes, mask.Path ?? (mask.Source != null ? "mask from " + mask.Source : description));
                case byte[] bytes:
                    return new ImageInput(bytes, description);
                case FileInfo file:
                    return ReadFile(file.FullName);
                case DirectoryInfo directory:
                    throw Folder(directory.FullName);
                case string path:
                    return FromPath(path);
            }
            // Other objects that carry image bytes, such as ConvertTo-AlphaMask's masks.
            var bytesProperty = item.GetType().GetProperty("Bytes", BindingFlags.Public | BindingFlags.Instance);
            if (bytesProperty?.GetValue(item) is byte[] carried)
            {
                string? source = item.GetType().GetProperty("Path", BindingFlags.Public | BindingFlags.Instance)?.GetValue(item) as string;
                return new ImageInput(carried, source ?? description);
            }
            // Objects that name a file, such as Resolve-Path's PathInfo: -Path and -LiteralPath would take them by
            // property name, but -InputObject takes every object by value first, so their path is read here too.
            if (PathProperty(value as PSObject ?? PSObject.AsPSObject(item)) is string namedPath)
                return FromPath(namedPath);
            throw new ImageRequestException(ErrorIds.ImageFormatUnsupported,
                $"The {description} is a {item.GetType().Name}, which holds no image. Pipe files, paths, byte arrays or this module's images.", "image");
        }

        private ImageInput FromPath(string path)
        {
            // Session state belongs to the pipeline thread; this runs on a worker.
            string full = _pipeline.OnPipelineThread(() =>
            {
                string resolved;
                ProviderInfo provider;
                try
                {
                    resolved = _paths.GetUnresolvedProviderPathFromPSPath(path, out provider, out _);
                }
                catch (SessionStateException e)
                {
                    throw Unreachable(path, e);
                }
                RequireFileSystem(provider, path);
                return resolved;
            });
            return ReadFile(full);
        }

        /// <summary>
        /// Reads an image file; every way it can fail is an <see cref="ImageRequestException"/>, so that a folder, a
        /// file without read permission or one another program has locked is an error for that item only, never an
        /// exception that ends the call.
        /// </summary>
        private static ImageInput ReadFile(string fullPath)
        {
            if (Directory.Exists(fullPath)) throw Folder(fullPath);
            try
            {
                return ImageInput.FromFile(fullPath);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is ArgumentException || e is NotSupportedException)
            {
                // ArgumentException and NotSupportedException: a name .NET Framework refuses (Windows PowerShell 5.1).
                throw new ImageRequestException(ErrorIds.ImageUnreadable, $"The image file '{fullPath}' cannot be read: {e.Message}", "image");
            }
        }

        private static string? PathProperty(PSObject bag)
        {
            foreach (string name in new[] { "LiteralPath", "PSPath", "FullName", "Path" })
            {
                // A value from a command (Join-Path, Resolve-Path) comes wrapped in a PSObject.
                object? value = bag.Properties[name]?.Value;
                if ((value is PSObject wrapped ? wrapped.BaseObject : value) is string text && !string.IsNullOrWhiteSpace(text)) return text;
            }
            return null;
        }

        private static void RequireFileSystem(ProviderInfo provider, string path)
        {
            if (provider.ImplementingType != typeof(FileSystemProvider))
                throw new ImageRequestException(ErrorIds.ImageNotFound, $"'{path}' is on the {provider.Name} provider; images are read from the file system only.", "image");
        }

        private static ImageRequestException Folder(string path) =>
            new ImageRequestException(ErrorIds.ImageNotFound, $"'{path}' is a folder, not an image file. Name the images in it, for example '{System.IO.Path.Combine(path, "*.png")}'.", "image");

        private static ImageRequestException NotFound(string path) =>
            new ImageRequestException(ErrorIds.ImageNotFound, $"No image file matches '{path}'.", "image");

        private static ImageRequestException Unreachable(string path, RuntimeException e) =>
            new ImageRequestException(ErrorIds.ImageNotFound, $"No image file matches '{path}': {e.Message}", "image");

        private static ImageRequestException BadPattern(string path, WildcardPatternException e) =>
            new ImageRequestException(ErrorIds.ImageNotFound,
                $"'{path}' is not a valid wildcard pattern: {e.Message} Use -LiteralPath for a name with [ or ] in it.", "image");
    }
}
