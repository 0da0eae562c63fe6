namespace PageAtlas.Server.Metrics;

/// <summary>The two text formats a scraper may ask for.</summary>
public enum ExpositionFormat
{
    /// <summary>Prometheus text format 0.0.4: what every scraper reads.</summary>
    Prometheus,

    /// <summary>OpenMetrics 1.0.0: units, counters' <c>_total</c> samples, <c># EOF</c>.</summary>
    OpenMetrics,
}

/// <summary>Which format a request asks for, and its content type.</summary>
public static class ExpositionFormats
{
    /// <summary>The content type of <paramref name="format"/>.</summary>
    public static string ContentType(ExpositionFormat format) => format == ExpositionFormat.OpenMetrics
        ? "application/openmetrics-text; version=1.0.0; charset=utf-8"
        : "text/plain; version=0.0.4; charset=utf-8";

    /// <summary>
    /// OpenMetrics when the Accept header offers <c>application/openmetrics-text</c> (Prometheus
    /// sends it first, with the text format as a fallback), else the Prometheus text format.
    /// </summary>
    public static ExpositionFormat Negotiate(string? accept) =>
        accept is not null && accept.Contains("application/openmetrics-text", StringComparison.OrdinalIgnoreCase)
            ? ExpositionFormat.OpenMetrics
            : ExpositionFormat.Prometheus;
}
