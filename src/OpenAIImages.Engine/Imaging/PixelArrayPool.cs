using System;
using System.Threading;

namespace OpenAIImages.Engine.Imaging
{
    /// <summary>
    /// Keeps the pixel array of the last image given back, so the next decode of the same size (the next mask in
    /// <c>Get-ChildItem *.png | ConvertTo-AlphaMask</c>) fills memory that is already the process's instead of
    /// a new array. A new 64 MiB array costs more than zeroing it: the operating system maps and clears every page
    /// on first touch, and a full collection may hand the old one back to the system.
    /// </summary>
    /// <remarks>
    /// One array is kept, of any size, and dropped after <see cref="IdleRelease"/> without use, so a session that
    /// converted one mask does not hold 64 MiB for the rest of its life. A rented array belongs to its renter alone,
    /// whether it comes from here or is new; only code that owns an image and is done with it gives it back.
    /// </remarks>
    internal static class PixelArrayPool
    {
        public static readonly TimeSpan IdleRelease = TimeSpan.FromSeconds(30);

        private static byte[]? _kept;
        private static Timer? _release;

        /// <summary>An array of exactly <paramref name="length"/> bytes whose contents are undefined: the caller writes every byte.</summary>
        public static byte[] Rent(int length)
        {
            var kept = Interlocked.Exchange(ref _kept, null);
            return kept is not null && kept.Length == length ? kept : UninitializedArray.Bytes(length);
        }

        /// <summary>Gives an array back; the caller must hold no other reference to it that it will use.</summary>
        public static void Return(byte[] array)
        {
            if (array is null) throw new ArgumentNullException(nameof(array));
            Volatile.Write(ref _kept, array);
            var timer = _release;
            if (timer is null)
            {
                var created = new Timer(_ => Interlocked.Exchange(ref _kept, null));
                timer = Interlocked.CompareExchange(ref _release, created, null) ?? created;
                if (!ReferenceEquals(timer, created)) created.Dispose();
            }
            timer.Change(IdleRelease, Timeout.InfiniteTimeSpan);
        }

        /// <summary>Whether an array is being kept (for tests).</summary>
        internal static bool IsKeeping => Volatile.Read(ref _kept) is not null;
    }
}
