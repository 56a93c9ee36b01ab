using System;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.PowerShell.Commands;
using OpenAIImages.Engine.Files;
using OpenAIImages.Engine.Results;

namespace OpenAIImages.Infrastructure
{
    /// <summary>
    /// What the Save script method of the module's results calls (OpenAIImages.Types.ps1xml): the path resolved
    /// against the caller's PowerShell location, on the file system only, then the object's own save with the full path.
    /// Public for the script method; its signatures name no engine type, which the default context could not load.
    /// </summary>
    public static class SessionSave
    {
        /// <summary>
        /// Starts the save on the thread pool and returns at once. The script method waits for it in short steps:
        /// PowerShell can stop a script only between its statements, never inside a .NET call, so a download waited
        /// for in one call would hold Ctrl+C until it ended.
        /// </summary>
        public static SaveOperation Start(object image, string path, bool force, PathIntrinsics paths)
        {
            // Resolved here, on the pipeline thread: PathIntrinsics belong to it.
            string full = Resolve(path, paths);
            object target = image is PSObject wrapped ? wrapped.BaseObject : image;
            return target switch
            {
                GeneratedImage generated => new SaveOperation("Saving an image",
                    generated.Bytes == null && generated.Url != null ? "Downloading from " + generated.Url.Host : "Writing " + full,
                    token => generated.SaveAsync(full, force, token)),
                MaskImage mask => new SaveOperation("Saving a mask", "Writing " + full, _ => Task.FromResult(mask.Save(full, force))),
                _ => throw new ArgumentException($"Save writes this module's images and masks, not a {target?.GetType().Name ?? "null"}.", nameof(image)),
            };
        }

        private static string Resolve(string path, PathIntrinsics paths)
        {
            if (string.IsNullOrWhiteSpace(path)) throw new ArgumentException("Give Save the path of the file to write.", nameof(path));
            string full = paths.GetUnresolvedProviderPathFromPSPath(path, out ProviderInfo provider, out _);
            if (provider.ImplementingType != typeof(FileSystemProvider))
                throw new ArgumentException($"'{path}' is on the {provider.Name} provider; images can be saved only to the file system.", nameof(path));
            return full;
        }
    }

    /// <summary>
    /// One save under way, for the Save script method: <see cref="Wait"/> in short steps, then <see cref="Result"/>;
    /// <see cref="Dispose"/> (from the script's finally, which also runs when the pipeline is stopped) cancels a
    /// download that has not ended, and nothing is written.
    /// </summary>
    public sealed class SaveOperation : IDisposable
    {
        private readonly CancellationTokenSource _cancel = new CancellationTokenSource();
        private readonly Task<string> _save;

        internal SaveOperation(string activity, string status, Func<CancellationToken, Task<string>> save)
        {
            Activity = activity;
            Status = status;
            CancellationToken token = _cancel.Token;
            _save = Task.Run(() => save(token));
        }

        /// <summary>The progress activity the script method shows while a save takes more than a second.</summary>
        public string Activity { get; }

        /// <summary>What the save waits for: the download's host, or the file being written.</summary>
        public string Status { get; }

        /// <summary>Whether the save has ended, successfully or not, after waiting at most <paramref name="milliseconds"/>.</summary>
        public bool Wait(int milliseconds) => ((IAsyncResult)_save).AsyncWaitHandle.WaitOne(milliseconds);

        /// <summary>The full path written; throws what the save threw, as itself rather than wrapped.</summary>
        public string Result()
        {
            try
            {
                return _save.GetAwaiter().GetResult();
            }
            catch (OutputFileExistsException e)
            {
                // The method has no -Force: say how this call replaces a file.
                throw new OutputFileExistsException(e.Path, "call Save(path, $true)");
            }
        }

        public void Dispose()
        {
            if (_save.IsCompleted)
            {
                _cancel.Dispose();
                return;
            }
            _cancel.Cancel();
            // The token source is disposed once the download has seen the cancellation and ended.
            _save.ContinueWith(_ => _cancel.Dispose(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }
}
