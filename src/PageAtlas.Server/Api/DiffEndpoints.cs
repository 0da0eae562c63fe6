using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using PageAtlas.Rendering;
using PageAtlas.Snapshots;

namespace PageAtlas.Server.Api;

/// <summary>
/// What changed in a process between two snapshot sources: GET /api/diff?before=s1&amp;after=s2&amp;pid=N[&amp;force=1],
/// `pageatlas diff before.db after.db [--pid N] [--force] --json`'s document (pageatlas/diff).
/// </summary>
internal static class DiffEndpoints
{
    public static void Map(IEndpointRouteBuilder app, ExplorerSources sources) =>
        app.MapRead("/api/diff", context => ApiResponse.Json(context, json =>
        {
            string before = SnapshotOf(context, sources, "before"), after = SnapshotOf(context, sources, "after");
            var report = SnapshotComparison.Compare(before, after, RequestValues.OptionalPid(context), context.Request.Query["force"] == "1");
            MemoryDiffJson.Write(json, report);
        }));

    /// <summary>The snapshot file of the source a query value names (the live machine has no moment to compare).</summary>
    private static string SnapshotOf(HttpContext context, ExplorerSources sources, string name)
    {
        string id = context.Request.Query[name].ToString();
        if (id.Length == 0) throw new InvalidRequestException($"'{name}' is required: a snapshot source (s1, s2…)");
        return sources.SnapshotFile(id) ?? throw new InvalidRequestException($"'{name}' must be a snapshot source (s1, s2…): the live machine is no one moment to compare");
    }
}
