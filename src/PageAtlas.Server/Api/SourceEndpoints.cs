using Microsoft.AspNetCore.Routing;
using PageAtlas.Rendering;

namespace PageAtlas.Server.Api;

/// <summary>
/// The sources the explorer reads: GET /api/sources (docs/explorer.md; the document is docs/json.md's
/// pageatlas/sources), with the largest upload the server takes (null with --no-upload: the page then
/// shows no upload form).
/// </summary>
internal static class SourceEndpoints
{
    public static void Map(IEndpointRouteBuilder app, ExplorerSources sources, long? maxUpload) =>
        app.MapRead("/api/sources", context => ApiResponse.Json(context, json => SourceListJson.Write(json, sources.Summaries(), maxUpload)));
}
