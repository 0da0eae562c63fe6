using Microsoft.AspNetCore.Http;

namespace PageAtlas.Server.Api;

/// <summary>The process a request's route names: /api/{source}/processes/{pid}/…, opened from that source.</summary>
internal static class RequestedProcess
{
    /// <summary>Opens the route's process of the route's source (a bad pid is a 400, a process not there a 404: the caller's answer).</summary>
    public static IMemoryTarget Open(HttpContext context, ExplorerSources sources) =>
        sources.OpenProcess(RequestValues.Source(context), RequestValues.Pid(context));
}
