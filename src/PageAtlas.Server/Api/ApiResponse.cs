using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using PageAtlas.Rendering;

namespace PageAtlas.Server.Api;

/// <summary>
/// How an endpoint answers: a JSON document written by the library's own writers (the shapes of the
/// CLI's --json, docs/json.md), or one error object. A failure the library explains
/// (<see cref="PageAtlasException"/>) becomes its own status and message; anything else is a 500
/// that says only "internal error" (the detail is a fault of ours, not the user's to read).
/// </summary>
public static class ApiResponse
{
    private static readonly JsonWriterOptions s_options = new() { Encoder = TerminalSafeJsonEncoder.Instance };

    /// <summary>Runs <paramref name="write"/> into a buffer (a report is built whole before its first byte goes out, so a failure half-way never sends half a document) and sends it.</summary>
    public static async Task Json(HttpContext context, Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(1 << 14);
        if (!await Built(context, () =>
        {
            using var json = new Utf8JsonWriter(buffer, s_options);
            write(json);
        })) return;
        await Send(context, "application/json; charset=utf-8", buffer.WrittenMemory);
    }

    /// <summary>
    /// A file to download (Content-Disposition: attachment): <paramref name="write"/> writes it whole
    /// into a buffer, as <see cref="Json"/> does, and returns the name to save it under.
    /// </summary>
    public static async Task File(HttpContext context, string contentType, Func<Stream, string> write)
    {
        using var buffer = new MemoryStream();
        string name = "";
        if (!await Built(context, () => name = write(buffer))) return;
        context.Response.Headers.ContentDisposition = new ContentDispositionHeaderValue("attachment") { FileName = name }.ToString();
        await Send(context, contentType, buffer.GetBuffer().AsMemory(0, (int)buffer.Length));
    }

    /// <summary>Runs <paramref name="build"/>; a failure the library explains is answered here (false: nothing more to send).</summary>
    private static async Task<bool> Built(HttpContext context, Action build)
    {
        try
        {
            build();
            return true;
        }
        catch (PageAtlasException e)
        {
            await Error(context, StatusOf(e), e.Message);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
        }
        return false;
    }

    private static async Task Send(HttpContext context, string contentType, ReadOnlyMemory<byte> body)
    {
        context.Response.ContentType = contentType;
        context.Response.ContentLength = body.Length;
        if (HttpMethods.IsHead(context.Request.Method)) return;
        await context.Response.Body.WriteAsync(body, context.RequestAborted);
    }

    /// <summary>One error object: <c>{"error": message, "status": code}</c>.</summary>
    public static async Task Error(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer, s_options))
        {
            json.WriteStartObject();
            json.WriteString("error", message);
            json.WriteNumber("status", status);
            json.WriteEndObject();
        }
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.ContentLength = buffer.WrittenCount;
        if (!HttpMethods.IsHead(context.Request.Method)) await context.Response.Body.WriteAsync(buffer.WrittenMemory);
    }

    /// <summary>The HTTP status of an explained failure.</summary>
    public static int StatusOf(PageAtlasException e) => e switch
    {
        InvalidRequestException => StatusCodes.Status400BadRequest,
        TargetUnavailableException => StatusCodes.Status404NotFound,
        PrivilegeRequiredException => StatusCodes.Status403Forbidden,
        MemoryAccessException => StatusCodes.Status422UnprocessableEntity,
        SnapshotFormatException or FileAccessException => StatusCodes.Status422UnprocessableEntity,
        _ => StatusCodes.Status500InternalServerError,
    };
}
