using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using PageAtlas.Analysis;
using PageAtlas.Rendering;

namespace PageAtlas.Server.Api;

/// <summary>
/// The API over one process: the same reports as the CLI's maps, composition, translate and walk
/// (the same JSON writers, so the same shapes as --json), and its pages as a compact grid.
/// Routes: /api/{source}/processes/{pid}/… (docs/explorer.md).
/// </summary>
internal static class ProcessEndpoints
{
    public static void Map(IEndpointRouteBuilder app, ExplorerSources sources)
    {
        const string Process = "/api/{source}/processes/{pid}";
        app.MapRead("/api/{source}/processes", async context =>
        {
            // The live list is the server's last reading of every process (its age in "measured"); ?fresh=1 waits for a new one.
            SourceProcessList list;
            try
            {
                list = await sources.Processes(RequestValues.Source(context), RequestValues.Flag(context, "fresh")).WaitAsync(context.RequestAborted);
            }
            catch (PageAtlasException e)
            {
                await ApiResponse.Error(context, ApiResponse.StatusOf(e), e.Message);
                return;
            }
            await ApiResponse.Json(context, json => ProcessListJson.Write(json, ProcessOrdering.Sort(list.Processes, ProcessOrder.Pss), list.Vanished, list.Refused, list.Measured));
        });
        app.MapRead(Process + "/maps", (context => ApiResponse.Json(context, json =>
        {
            using var target = RequestedProcess.Open(context, sources);
            // ?limit=N (and ?start=0x…): one part of the document, only those VMAs' pages read; a part of fewer than N VMAs is the last
            var report = RequestValues.Count(context, "limit") is { } limit
                ? Residency.MeasureFrom(target, RequestValues.Has(context, "start") ? RequestValues.Hex(context, "start") : 0, limit)
                : Residency.Measure(target);
            ResidencyJson.Write(json, report, target.Visibility);
        })));
        app.MapRead(Process + "/maps/compact", (context => ApiResponse.Json(context, json =>
        {
            // the same figures, a row of values per VMA and each class once: what the address view draws (a quarter of the bytes)
            using var target = RequestedProcess.Open(context, sources);
            MapsCompactJson.Write(json, Residency.Measure(target), target.Visibility);
        })));
        app.MapRead(Process + "/vmas", (context => ApiResponse.Json(context, json =>
        {
            // the maps document of the one VMA containing ?at=: what the pages view shows, without a pass over every VMA
            using var target = RequestedProcess.Open(context, sources);
            ResidencyJson.Write(json, Residency.MeasureAt(target, RequestValues.Hex(context, "at")), target.Visibility);
        })));
        app.MapRead(Process + "/composition", (context => ApiResponse.Json(context, json =>
        {
            // ?vmas=0: the classes and total only (the address view's table), not a row per VMA
            using var target = RequestedProcess.Open(context, sources);
            CompositionJson.Write(json, Composition.Measure(target), vmaRows: RequestValues.Flag(context, "vmas", whenAbsent: true));
        })));
        app.MapRead(Process + "/pages", (context => ApiResponse.Json(context, json =>
        {
            using var target = RequestedProcess.Open(context, sources);
            ulong start = RequestValues.Hex(context, "start");
            int count = RequestValues.Count(context, "count") ?? 1;
            PageGridJson.Write(json, target, start, count);
        })));
        app.MapRead(Process + "/walk", (context => ApiResponse.Json(context, json =>
        {
            using var target = RequestedProcess.Open(context, sources);
            var report = PageWalk.Walk(target, RequestValues.Hex(context, "address"), kernel: null);
            WalkJson.Write(json, report, target.Facts.Name, target.Machine);
        })));
    }
}
