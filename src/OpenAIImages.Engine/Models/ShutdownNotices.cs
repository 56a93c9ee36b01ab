using System;
using System.Collections.Concurrent;

namespace OpenAIImages.Engine.Models
{
    /// <summary>
    /// Remembers which retiring models were already warned about, so a script that makes a thousand images with
    /// dall-e-2 sees the shutdown warning once per session, not a thousand times.
    /// </summary>
    public sealed class ShutdownNotices
    {
        /// <summary>The notices of this process, which is one PowerShell session.</summary>
        public static ShutdownNotices Session { get; } = new ShutdownNotices();

        private readonly ConcurrentDictionary<string, bool> _warned = new ConcurrentDictionary<string, bool>(StringComparer.OrdinalIgnoreCase);

        /// <summary>The warning for this model, the first time it is asked for; null after that or when there is none.</summary>
        public string? TakeWarning(ModelInfo? model, DateTimeOffset now)
        {
            if (model == null) return null;
            string? warning = ModelCatalog.ShutdownWarning(model, now);
            return warning != null && _warned.TryAdd(model.Name, true) ? warning : null;
        }
    }
}
