using System.Text;

namespace OpenAIImages.FakeApi.Recording;

/// <summary>One part of a multipart/form-data body, in the order it was sent.</summary>
public sealed record MultipartPart(string Name, string? FileName, string? ContentType, byte[] Data)
{
    /// <summary>True when the part carried a file name, which is how a form marks a file upload.</summary>
    public bool IsFile => FileName is not null;

    /// <summary>The part's bytes read as UTF-8 (form fields are text).</summary>
    public string Text => Encoding.UTF8.GetString(Data);
}
