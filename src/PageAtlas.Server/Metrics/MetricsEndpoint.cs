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
        var text = ExpositionWriter.Build(families, format);
        context.Response.ContentType = ExpositionFormats.ContentType(format);
        context.Response.ContentLength = Utf8Length(text);
        if (HttpMethods.IsHead(context.Request.Method)) return;
        // Chunk by chunk into the response's pipe: no string or byte array of the whole exposition.
        var encoder = Encoding.UTF8.GetEncoder();
        foreach (var chunk in text.GetChunks()) encoder.Convert(chunk.Span, context.Response.BodyWriter, flush: false, out _, out _);
        encoder.Convert([], context.Response.BodyWriter, flush: true, out _, out _);
        await context.Response.BodyWriter.FlushAsync(context.RequestAborted);
    });

    /// <summary>The bytes <paramref name="text"/> is in UTF-8, a surrogate pair split across two chunks counted once.</summary>
    private static long Utf8Length(StringBuilder text)
    {
        var encoder = Encoding.UTF8.GetEncoder();
        long length = 0;
        foreach (var chunk in text.GetChunks()) length += encoder.GetByteCount(chunk.Span, flush: false);
        return length + encoder.GetByteCount([], flush: true);
    }
}
