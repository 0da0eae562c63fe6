using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using PageAtlas.Server.Api;

namespace PageAtlas.Server.Metrics;

/// <summary>/metrics: the collection in the format the scraper's Accept header asks for (docs/metrics.md).</summary>
internal static class MetricsEndpoint
{
    public static void Map(IEndpointRouteBuilder app, MetricsCollector collector) => app.MapRead("/metrics", async context =>
    {
        var format = ExpositionFormats.Negotiate(context.Request.Headers.Accept.ToString());
        var families = await collector.Collect().WaitAsync(context.RequestAborted);
        byte[] body = Encoding.UTF8.GetBytes(ExpositionWriter.Write(families, format));
        context.Response.ContentType = ExpositionFormats.ContentType(format);
        context.Response.ContentLength = body.Length;
        if (HttpMethods.IsHead(context.Request.Method)) return;
        await context.Response.Body.WriteAsync(body, context.RequestAborted);
    });
}
