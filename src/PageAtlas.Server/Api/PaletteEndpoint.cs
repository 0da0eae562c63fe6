using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using PageAtlas.Rendering;

namespace PageAtlas.Server.Api;

/// <summary>/api/palette: the colours of the segment classes (pageatlas/palette), the page-table picture's own, for the front end's legend and address map.</summary>
internal static class PaletteEndpoint
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapRead("/api/palette", context => ApiResponse.Json(context, PaletteJson.Write));
}
