using System;
using System.Management.Automation;
using Microsoft.PowerShell.Commands;
using OpenAIImages.Engine.Results;

namespace OpenAIImages.Infrastructure
{
    /// <summary>
    /// What the Save script method of the module's results calls (OpenAIImages.Types.ps1xml): the path resolved
    /// against the caller's PowerShell location, on the file system only, then the object's own Save with the full path.
    /// Public for the script method; its signature names no engine type, which the default context could not load.
    /// </summary>
    public static class SessionSave
    {
        public static string Save(object image, string path, bool force, PathIntrinsics paths)
        {
            if (string.IsNullOrWhiteSpace(path)) throw new ArgumentException("Give Save the path of the file to write.", nameof(path));
            string full = paths.GetUnresolvedProviderPathFromPSPath(path, out ProviderInfo provider, out _);
            if (provider.ImplementingType != typeof(FileSystemProvider))
                throw new ArgumentException($"'{path}' is on the {provider.Name} provider; images can be saved only to the file system.", nameof(path));
            object target = image is PSObject wrapped ? wrapped.BaseObject : image;
            return target switch
            {
                GeneratedImage generated => generated.Save(full, force),
                MaskImage mask => mask.Save(full, force),
                _ => throw new ArgumentException($"Save writes this module's images and masks, not a {target?.GetType().Name ?? "null"}.", nameof(image)),
            };
        }
    }
}
