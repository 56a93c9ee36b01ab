using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using OpenAIImages.FakeApi.Recording;

namespace OpenAIImages.FakeApi.Http;

/// <summary>
/// Splits a recorded multipart/form-data body into its parts, keeping their order, names, file names and content
/// types exactly as sent. Works on the buffered body so the raw bytes stay available to the recording.
/// </summary>
internal static class MultipartParser
{
    public static async Task<IReadOnlyList<MultipartPart>> ParseAsync(string contentType, byte[] body, CancellationToken ct)
    {
        if (!MediaTypeHeaderValue.TryParse(contentType, out var mediaType))
            throw Malformed("The Content-Type header could not be parsed.");
        string boundary = HeaderUtilities.RemoveQuotes(mediaType.Boundary).Value ?? "";
        if (boundary.Length == 0)
            throw Malformed("The multipart/form-data Content-Type has no boundary.");

        var reader = new MultipartReader(boundary, new MemoryStream(body, writable: false))
        {
            HeadersCountLimit = 32,
            BodyLengthLimit = null,
        };
        var parts = new List<MultipartPart>();
        try
        {
            MultipartSection? section;
            while ((section = await reader.ReadNextSectionAsync(ct)) is not null)
            {
                var disposition = section.GetContentDispositionHeader();
                if (disposition is null || !disposition.DispositionType.Equals("form-data", StringComparison.OrdinalIgnoreCase))
                    throw Malformed("Every part of a multipart/form-data body needs a 'Content-Disposition: form-data' header.");
                string name = HeaderUtilities.RemoveQuotes(disposition.Name).Value ?? "";
                if (name.Length == 0)
                    throw Malformed("A multipart part has no name.");
                string? fileName = disposition.FileNameStar.HasValue ? disposition.FileNameStar.Value
                    : disposition.FileName.HasValue ? HeaderUtilities.RemoveQuotes(disposition.FileName).Value : null;
                var data = new MemoryStream();
                await section.Body.CopyToAsync(data, ct);
                parts.Add(new MultipartPart(name, fileName, section.ContentType, data.ToArray()));
            }
        }
        catch (IOException e)
        {
            throw Malformed("The multipart/form-data body could not be parsed: " + e.Message);
        }
        catch (InvalidDataException e)
        {
            throw Malformed("The multipart/form-data body could not be parsed: " + e.Message);
        }
        return parts;
    }

    private static ApiErrorException Malformed(string message) =>
        new(ApiError.Invalid(message, null, null));
}
