using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PageAtlas.Rendering;
using PageAtlas.Server.Live;

namespace PageAtlas.Server.Api;

/// <summary>
/// The live view's API: /api/live/processes/{pid}/watch?interval=MS streams samples of the process
/// as server-sent events (text/event-stream: "sample" events, "pageatlas/watch" documents, then one
/// "exited" or "failed" event); /api/live/watchers lists the samplers running (one per watched
/// process, however many pages watch it). A snapshot is not live: 400.
/// </summary>
internal static class LiveEndpoints
{
    public static void Map(IEndpointRouteBuilder app, ExplorerSources sources, LiveHub hub)
    {
        app.MapRead("/api/live/watchers", context => ApiResponse.Json(context, json => LiveJson.WriteWatchers(json, hub.Watchers(), hub.Limit)));
        app.MapRead("/api/{source}/processes/{pid}/watch", async context =>
        {
            LiveSubscription subscription;
            try
            {
                if (RequestValues.Source(context) != "live")
                {
                    sources.SnapshotFile(RequestValues.Source(context)); // an unknown source is a 404 as elsewhere
                    throw new InvalidRequestException("a snapshot is not live: it holds one moment, so there is nothing to watch (the live view needs the source 'live')");
                }
                int pid = RequestValues.Pid(context);
                int milliseconds = RequestValues.Count(context, "interval") ?? 1000;
                sources.OpenProcess("live", pid).Dispose(); // a process that is not there is a 404 now, not an event later
                subscription = hub.Subscribe(pid, TimeSpan.FromMilliseconds(milliseconds));
            }
            catch (PageAtlasException e)
            {
                await ApiResponse.Error(context, ApiResponse.StatusOf(e), e.Message);
                return;
            }
            catch (LiveHubFullException e)
            {
                await ApiResponse.Error(context, StatusCodes.Status429TooManyRequests, e.Message);
                return;
            }
            using (subscription)
                await Stream(context, subscription);
        });
    }

    /// <summary>Writes each event as it comes until the stream ends (the process exited) or the page goes (the request is aborted).</summary>
    private static async Task Stream(HttpContext context, LiveSubscription subscription)
    {
        var response = context.Response;
        response.ContentType = "text/event-stream; charset=utf-8";
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        if (HttpMethods.IsHead(context.Request.Method)) return;
        // The page going away, or the server stopping (Ctrl+C): a stream never holds a shutdown up.
        var stopping = context.RequestServices.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        using var either = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        var aborted = either.Token;
        try
        {
            // A comment first: the page knows it is connected before the first sample is read.
            await response.Body.WriteAsync(": watching\n\n"u8.ToArray(), aborted);
            await response.Body.FlushAsync(aborted);
            await foreach (var frame in subscription.Events.ReadAllAsync(aborted))
            {
                await response.Body.WriteAsync(frame, aborted);
                await response.Body.FlushAsync(aborted);
            }
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            // The page closed: leaving the sampler (the using above) is all there is to do.
        }
        catch (IOException) when (aborted.IsCancellationRequested)
        {
        }
    }
}
