using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Text;
using OpenAIImages.Engine.Files;

namespace OpenAIImages.Engine.Batches
{
    /// <summary>
    /// index.html beside a batch's images: a grid of thumbnails (the images themselves, scaled by the browser), each
    /// with its prompt, linked by relative paths, so the page opens from disk or a share in any browser, no server.
    /// A request that failed shows its error in its place; every text is HTML-escaped.
    /// </summary>
    public static class ContactSheetWriter
    {
        public static string Write(BatchJournal journal, IReadOnlyDictionary<string, ItemOutcome> outcomes, string journalPath)
        {
            var html = new StringBuilder();
            html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
                .Append(Escape(Path.GetFileName(journalPath))).Append("</title>\n<style>\n")
                .Append("body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:16px;background:#f4f4f4;color:#222}\n")
                .Append("h1{font-size:18px;margin:0 0 12px}\n")
                .Append(".grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(200px,1fr));gap:12px}\n")
                .Append("figure{margin:0;background:#fff;border:1px solid #ddd;border-radius:6px;padding:8px}\n")
                .Append("figure img{width:100%;height:180px;object-fit:contain;background:#eee;display:block}\n")
                .Append("figcaption{font-size:13px;margin-top:6px;overflow-wrap:anywhere}\n")
                .Append(".failed{border-color:#c33}.failed figcaption{color:#a00}\n")
                .Append("</style>\n</head>\n<body>\n<h1>")
                .Append(Escape(journal.Items.Count.ToString("N0", System.Globalization.CultureInfo.InvariantCulture))).Append(" requests, ")
                .Append(Escape(journal.Endpoint)).Append("</h1>\n<div class=\"grid\">\n");
            foreach (var item in journal.Items)
            {
                outcomes.TryGetValue(item.CustomId, out var outcome);
                if (outcome?.Succeeded == true)
                {
                    foreach (var file in item.Files)
                    {
                        string link = Escape(System.Uri.EscapeDataString(file));
                        html.Append("<figure><a href=\"").Append(link).Append("\"><img src=\"").Append(link).Append("\" alt=\"").Append(Escape(item.Prompt))
                            .Append("\" loading=\"lazy\"></a><figcaption>").Append(Escape(item.Prompt)).Append("</figcaption></figure>\n");
                    }
                }
                else
                {
                    string why = outcome == null ? "not received yet" : outcome.Message ?? "failed";
                    html.Append("<figure class=\"failed\"><figcaption>").Append(Escape(item.Prompt)).Append("<br><strong>")
                        .Append(Escape(why)).Append("</strong></figcaption></figure>\n");
                }
            }
            html.Append("</div>\n</body>\n</html>\n");
            string path = journal.PathOf("index.html");
            SafeFileWriter.Write(path, Encoding.UTF8.GetBytes(html.ToString()), overwrite: true);
            return path;
        }

        private static string Escape(string text) => WebUtility.HtmlEncode(text);
    }
}
