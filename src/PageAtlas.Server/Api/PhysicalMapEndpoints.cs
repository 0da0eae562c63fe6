using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using PageAtlas.Analysis;
using PageAtlas.Model;
using PageAtlas.Rendering;

namespace PageAtlas.Server.Api;

/// <summary>
/// The API over physical memory as a whole: the map's cells over a range of frames
/// (pageatlas/physmap-cells, refined as the view zooms) and the census of every frame (as <c>frames --json</c>).
/// </summary>
internal static class PhysicalMapEndpoints
{
    /// <summary>Cells when the request names none: a 4,096-cell overview.</summary>
    private const int DefaultCells = 4096;

    public static void Map(IEndpointRouteBuilder app, ExplorerSources sources)
    {
        app.MapRead("/api/{source}/physmap", (context => ApiResponse.Json(context, json =>
        {
            using var machine = sources.OpenMachine(RequestValues.Source(context));
            var frames = machine.Frames;
            frames.Cancellation = context.RequestAborted;
            ulong start = context.Request.Query.ContainsKey("start") ? RequestValues.Hex(context, "start") : 0;
            ulong end = context.Request.Query.ContainsKey("end") ? RequestValues.Hex(context, "end") : frames.FrameLimit;
            PhysicalMapCellsJson.Write(json, PhysicalMap.Cells(frames, start, end, RequestValues.Count(context, "cells") ?? DefaultCells));
        })));
        app.MapRead("/api/{source}/census", (context => ApiResponse.Json(context, json =>
        {
            using var machine = sources.OpenMachine(RequestValues.Source(context));
            var frames = machine.Frames;
            frames.Cancellation = context.RequestAborted;
            // As `frames --json` answers by default: map counts read only where the flags cannot say whether a frame is mapped.
            var report = FrameCensus.Take(frames, FrameFilter.Parse([]), sumMapCounts: false);
            FrameCensusJson.Write(json, report, frames.Machine.KernelRelease);
        })));
    }
}
