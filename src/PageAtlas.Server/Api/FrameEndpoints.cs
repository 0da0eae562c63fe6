using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using PageAtlas.Analysis;
using PageAtlas.Model;
using PageAtlas.Rendering;

namespace PageAtlas.Server.Api;

/// <summary>The API over physical frames: one frame with every process and address that maps it (the CLI's `frame`).</summary>
internal static class FrameEndpoints
{
    public static void Map(IEndpointRouteBuilder app, ExplorerSources sources)
    {
        app.MapRead("/api/{source}/frames/{pfn}", (context => ApiResponse.Json(context, json =>
        {
            ulong pfn = RequestValues.Hex(context, "pfn");
            using var machine = sources.OpenMachine(RequestValues.Source(context));
            var clock = Stopwatch.StartNew();
            var (inode, cgroup) = machine.CgroupOf(pfn);
            var aborted = context.RequestAborted;
            var report = FrameOwners.Find(pfn, machine.Frames, machine.Pids(), pid =>
            {
                aborted.ThrowIfCancellationRequested();
                return machine.OpenProcess(pid);
            }, inode, cgroup);
            FrameOwnersJson.Write(json, report, clock.Elapsed.TotalSeconds);
        })));
    }
}
