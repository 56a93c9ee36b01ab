using System.Collections.Generic;
using System.Globalization;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using OpenAIImages.Engine.Imaging;
using OpenAIImages.Engine.Requests;

namespace OpenAIImages.Engine.Http
{
    /// <summary>
    /// A multipart/form-data body described as a list of parts, so it can be built again for every attempt (a sent
    /// HttpContent cannot be sent twice) and described in debug output without its bytes.
    /// </summary>
    internal sealed class MultipartBody
    {
        private readonly List<(string Name, string? Text, ImageInput? File)> _parts = new List<(string, string?, ImageInput?)>();

        public MultipartBody Add(string name, string? value)
        {
            if (value != null) _parts.Add((name, value, null));
            return this;
        }

        public MultipartBody Add(string name, int? value) => value is int v ? Add(name, v.ToString(CultureInfo.InvariantCulture)) : this;

        public MultipartBody Add(string name, bool value) => value ? Add(name, "true") : this;

        public MultipartBody AddFile(string name, ImageInput file)
        {
            _parts.Add((name, null, file));
            return this;
        }

        /// <summary>A fresh HttpContent with the parts in order. Fields carry no Content-Type, as curl -F sends them; files carry the sniffed type.</summary>
        public HttpContent Build()
        {
            var content = new MultipartFormDataContent("----OpenAIImages" + System.Guid.NewGuid().ToString("N"));
            foreach (var (name, text, file) in _parts)
            {
                HttpContent part;
                var disposition = new ContentDispositionHeaderValue("form-data") { Name = Quote(name) };
                if (file != null)
                {
                    part = new ByteArrayContent(file.Data);
                    part.Headers.ContentType = new MediaTypeHeaderValue(file.Format.MediaType());
                    disposition.FileName = Quote(file.UploadFileName);
                }
                else
                {
                    part = new ByteArrayContent(Encoding.UTF8.GetBytes(text!));
                }
                part.Headers.ContentDisposition = disposition;
                content.Add(part);
            }
            return content;
        }

        /// <summary>The parts for debug output: field values (long ones shortened) and file sizes, never file bytes.</summary>
        public string Describe()
        {
            var builder = new StringBuilder("multipart: ");
            for (int i = 0; i < _parts.Count; i++)
            {
                var (name, text, file) = _parts[i];
                if (i > 0) builder.Append(", ");
                builder.Append(name).Append('=');
                if (file != null) builder.Append('(').Append(file.Format.MediaType()).Append(", ").Append(file.Data.Length.ToString("N0", CultureInfo.InvariantCulture)).Append(" bytes from ").Append(file.Source).Append(')');
                else builder.Append(text!.Length > 200 ? "(" + text.Length + " characters)" : text);
            }
            return builder.ToString();
        }

        private static string Quote(string value) => "\"" + value.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
    }
}
