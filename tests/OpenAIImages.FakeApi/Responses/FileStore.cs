using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace OpenAIImages.FakeApi.Responses;

/// <summary>
/// Holds the images the fake hands out as URLs (DALL·E's default), so a client can download them from the same
/// server. Only the newest files are kept, which bounds memory in long demo runs; real URLs expire too.
/// </summary>
internal sealed class FileStore
{
    public const int Capacity = 256;

    private readonly ConcurrentDictionary<string, byte[]> _files = new();
    private readonly ConcurrentQueue<string> _order = new();

    /// <summary>Stores a PNG and returns its file name (<c>img_&lt;hex&gt;.png</c>).</summary>
    public string Add(byte[] png)
    {
        string name = "img_" + Convert.ToHexString(RandomNumberGenerator.GetBytes(12)).ToLowerInvariant() + ".png";
        _files[name] = png;
        _order.Enqueue(name);
        while (_order.Count > Capacity && _order.TryDequeue(out var oldest)) _files.TryRemove(oldest, out _);
        return name;
    }

    public byte[]? Get(string name) => _files.TryGetValue(name, out var data) ? data : null;
}
