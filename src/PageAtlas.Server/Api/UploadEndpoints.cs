using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace PageAtlas.Server.Api;

/// <summary>
/// POST /api/sources: a snapshot file uploaded from the browser becomes a source (<see cref="SnapshotUploads"/>;
/// the gate has let through only POSTs with the token from this server's own page). With --no-upload it
/// answers 403 and says so.
/// </summary>
internal static class UploadEndpoints
{
    public const string Path = "/api/sources";

    public static void Map(IEndpointRouteBuilder app, SnapshotUploads? uploads) =>
        app.MapPost(Path, uploads is null
            ? (context => ApiResponse.Error(context, StatusCodes.Status403Forbidden, "uploads are off on this server (pageatlas serve --no-upload)"))
            : uploads.Receive);
}
