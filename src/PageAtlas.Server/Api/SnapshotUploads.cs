using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using PageAtlas.Rendering;
using PageAtlas.Snapshots;


namespace PageAtlas.Server.Api;

/// <summary>
/// Snapshot files uploaded from the browser (POST /api/sources): each is streamed into a new file of
/// the server's <see cref="KeptSnapshots"/> (private directory, random name, 0600, removed when the
/// server stops), counted as it arrives and refused past the cap (413) without ever being held whole
/// in memory, then checked exactly as the CLI checks a snapshot file (<see cref="Snapshot.Open"/>: a
/// bad file is 422 with its one-line reason) and added as the next source.
/// </summary>
/// <param name="sources">Where an upload is added.</param>
/// <param name="kept">The files the server keeps (uploads and lab runs' snapshots share its places).</param>
/// <param name="maxBytes">The largest upload (--max-upload).</param>
public sealed class SnapshotUploads(ExplorerSources sources, KeptSnapshots kept, long maxBytes)
{

    /// <summary>Receives one upload: its body is the snapshot file, <c>?name=</c> the name it is shown by. Answers the new source's id (201) or why not.</summary>
    public async Task Receive(HttpContext context)
    {
        var request = context.Request;
        if (!kept.TryTake())
        {
            await ApiResponse.Error(context, StatusCodes.Status409Conflict, $"this server holds {kept.Most} snapshots already (uploaded and left by labs): restart it to upload others");
            return;
        }
        string name = ShownName(request.Query["name"].ToString());
        string path = kept.NewPath();
        bool added = false;
        try
        {
            if (request.ContentLength > maxBytes)
            {
                await TooLarge(context);
                return;
            }
            // Kestrel's own limit (30 MB) would cut a large upload short with its own answer: this counts instead.
            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = null;
            if (!await Copy(request.Body, path, context.RequestAborted))
            {
                await TooLarge(context);
                return;
            }
            try
            {
                Snapshot.Open(path).Dispose();
            }
            catch (PageAtlasException e)
            {
                // The reason names the file: the name it came with, not the server's temp path.
                await ApiResponse.Error(context, ApiResponse.StatusOf(e), e.Message.Replace(path, name, StringComparison.Ordinal));
                return;
            }
            string id = sources.Add(path, name, uploaded: true);
            added = true;
            context.Response.StatusCode = StatusCodes.Status201Created;
            await ApiResponse.Json(context, json => SourceListJson.WriteAdded(json, id, name));
        }
        finally
        {
            if (!added)
            {
                File.Delete(path);
                kept.GiveBack();
            }
        }
    }

    /// <summary>Streams <paramref name="body"/> into a new private file (O_CREAT|O_EXCL, 0600); false when it grew past the cap.</summary>
    private async Task<bool> Copy(Stream body, string path, CancellationToken cancellation)
    {
        await using var file = CreatePrivate(path);
        var buffer = new byte[1 << 16];
        long total = 0;
        int read;
        while ((read = await body.ReadAsync(buffer, cancellation)) > 0)
        {
            total += read;
            if (total > maxBytes) return false;
            await file.WriteAsync(buffer.AsMemory(0, read), cancellation);
        }
        return true;
    }

    private static FileStream CreatePrivate(string path)
    {
        if (!OperatingSystem.IsLinux()) throw new PlatformNotSupportedException("PageAtlas reads Linux's memory: it runs on Linux");
        return new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.None,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        });
    }

    private Task TooLarge(HttpContext context) =>
        ApiResponse.Error(context, StatusCodes.Status413PayloadTooLarge, $"the file is larger than this server takes ({maxBytes} bytes: pageatlas serve --max-upload)");

    /// <summary>The file name an upload is shown by: its last path part, at most 120 characters, "upload" when none.</summary>
    private static string ShownName(string name)
    {
        name = Path.GetFileName(name.Replace('\\', '/'));
        return name.Length == 0 ? "upload" : name.Length > 120 ? name[..120] : name;
    }
}
