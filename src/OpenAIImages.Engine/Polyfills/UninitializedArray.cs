using System;
using System.Reflection;

namespace OpenAIImages.Engine
{
    /// <summary>
    /// Large byte arrays that the caller fills completely before anyone reads them: decoded pixels, decoded base64.
    /// </summary>
    /// <remarks>
    /// <c>GC.AllocateUninitializedArray</c> (.NET 5 and later, so PowerShell 7.4+) skips the runtime's zeroing of the
    /// new array, which for a 4096x4096 RGBA image is 64 MiB of memory written for nothing. netstandard2.0 cannot name
    /// it, so it is found once by reflection; on .NET Framework (Windows PowerShell 5.1) it does not exist and the
    /// array is allocated zeroed, as before. An array that is not filled must never escape: callers allocate it, fill
    /// it or throw.
    /// </remarks>
    internal static class UninitializedArray
    {
        // Below this the runtime zeroes from its allocation context anyway; the uninitialized path only pays off for large arrays.
        private const int Threshold = 2048;

        private static readonly Func<int, bool, byte[]>? Allocate = Find();

        public static byte[] Bytes(int length) =>
            length >= Threshold && Allocate is not null ? Allocate(length, false) : new byte[length];

        private static Func<int, bool, byte[]>? Find()
        {
            try
            {
                var method = typeof(GC).GetMethod("AllocateUninitializedArray", BindingFlags.Public | BindingFlags.Static);
                return method?.MakeGenericMethod(typeof(byte)).CreateDelegate(typeof(Func<int, bool, byte[]>)) as Func<int, bool, byte[]>;
            }
            catch (Exception ex) when (ex is ArgumentException || ex is AmbiguousMatchException || ex is InvalidOperationException || ex is MemberAccessException || ex is NotSupportedException)
            {
                return null;
            }
        }
    }
}
