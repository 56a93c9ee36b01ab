using System.Runtime.CompilerServices;

namespace OpenAIImages.Engine
{
    /// <summary>
    /// For the per-row and per-byte loops of the PNG codec and the mask conversion: compile them fully optimized on first
    /// call. Without it the runtime first runs a quick, unoptimized compilation and recompiles only after some 30 calls
    /// and a delay, so a process that decodes one image (one ConvertTo-AlphaMask, one pwsh) runs its hottest loops
    /// several times slower than the process that decodes many.
    /// </summary>
    /// <remarks>
    /// MethodImplOptions.AggressiveOptimization (512) exists from .NET Core 3.0 and is missing from netstandard2.0,
    /// so it is spelled by value. .NET Framework (Windows PowerShell 5.1) has no tiered compilation, always optimizes,
    /// and ignores the flag.
    /// </remarks>
    internal static class HotPath
    {
        public const MethodImplOptions Optimize = (MethodImplOptions)512;
    }
}
