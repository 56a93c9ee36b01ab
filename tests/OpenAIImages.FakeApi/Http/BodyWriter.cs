using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using OpenAIImages.FakeApi.Faults;

namespace OpenAIImages.FakeApi.Http;

/// <summary>
/// Writes response bodies, optionally in small flushed pieces, and applies the body-level faults: a reset
/// connection, a body shorter than its Content-Length, and a complete body that is not JSON.
/// </summary>
internal static class BodyWriter
{
    public static bool IsBodyFault(FaultRule? rule) =>
        rule?.Kind is FaultKind.ConnectionReset or FaultKind.TruncatedBody or FaultKind.MalformedJson;

    public static async Task WriteAsync(HttpContext context, byte[] body, FaultRule? fault, int chunkSize, CancellationToken ct)
    {
        var response = context.Response;
        switch (fault?.Kind)
        {
            case FaultKind.ConnectionReset:
                // No Content-Length: the body is chunked, and the reader sees the connection die mid-chunk.
                await WritePiecesAsync(response, body.AsMemory(0, Math.Min(fault.BytesBeforeAbort, body.Length)), chunkSize, ct);
                await CloseConnectionAsync(context, reset: true);
                return;
            case FaultKind.TruncatedBody:
                // The full length is promised and at least one byte is always held back.
                response.ContentLength = body.Length;
                await WritePiecesAsync(response, body.AsMemory(0, Math.Clamp(fault.BytesBeforeAbort, 0, body.Length - 1)), chunkSize, ct);
                await CloseConnectionAsync(context, reset: false);
                return;
            case FaultKind.MalformedJson:
                body = Malformed(body);
                break;
        }
        response.ContentLength = body.Length;
        await WritePiecesAsync(response, body, chunkSize, ct);
    }

    /// <summary>
    /// Ends the connection after what was written so far. A reset sends TCP RST (the reader gets "connection reset",
    /// and may lose bytes still in flight); otherwise the server half-closes with FIN, so the reader receives every
    /// byte sent and then an early end of stream — a deterministic truncation.
    /// </summary>
    private static async Task CloseConnectionAsync(HttpContext context, bool reset)
    {
        await context.Response.Body.FlushAsync();
        // Kestrel's flush hands bytes to its socket loop, not to the wire; give the loop a moment to send them.
        await Task.Delay(50);
        var socket = context.Features.Get<IConnectionSocketFeature>()?.Socket;
        try
        {
            if (socket is not null)
            {
                if (reset) socket.LingerState = new LingerOption(true, 0);
                else socket.Shutdown(SocketShutdown.Send);
            }
        }
        catch (SocketException)
        {
            // The client already went away; aborting below is all that is left to do.
        }
        catch (ObjectDisposedException)
        {
        }
        context.Abort();
    }

    /// <summary>Writes bytes at once, or <paramref name="chunkSize"/> at a time with a flush after each.</summary>
    public static async Task WritePiecesAsync(HttpResponse response, ReadOnlyMemory<byte> bytes, int chunkSize, CancellationToken ct)
    {
        if (chunkSize <= 0)
        {
            await response.Body.WriteAsync(bytes, ct);
            await response.Body.FlushAsync(ct);
            return;
        }
        for (int offset = 0; offset < bytes.Length; offset += chunkSize)
        {
            await response.Body.WriteAsync(bytes.Slice(offset, Math.Min(chunkSize, bytes.Length - offset)), ct);
            await response.Body.FlushAsync(ct);
        }
    }

    /// <summary>The start of the real body followed by an HTML error page, as a misbehaving proxy would send.</summary>
    private static byte[] Malformed(byte[] body)
    {
        var head = body.AsSpan(0, Math.Min(body.Length / 2, 64)).ToArray();
        return head.Concat(Encoding.UTF8.GetBytes("<html><body>502 Bad Gateway</body></html>")).ToArray();
    }
}
