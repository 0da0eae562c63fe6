namespace PageAtlas.Server.Metrics;

/// <summary>What a metric's value means over time (the exposition formats' TYPE).</summary>
public enum MetricType
{
    /// <summary>A value that goes up and down.</summary>
    Gauge,

    /// <summary>A total that only grows (its samples are named with <c>_total</c>).</summary>
    Counter,
}

/// <summary>One series' value: its labels (names and values, in order) and the number.</summary>
/// <param name="Labels">Label names and raw values; the writer escapes the values.</param>
/// <param name="Value">The value.</param>
public sealed record MetricSample(IReadOnlyList<KeyValuePair<string, string>> Labels, double Value);

/// <summary>
/// One metric: a name, a type, a help line and a unit, and its samples. A counter's name is given
/// without <c>_total</c>: the writer adds it where each format wants it.
/// </summary>
/// <param name="Name">The name ("pageatlas_process_pss_bytes").</param>
/// <param name="Type">Gauge or counter.</param>
/// <param name="Help">One line saying what it counts.</param>
/// <param name="Unit">The unit the name ends with ("bytes", "seconds"), or null.</param>
/// <param name="Samples">Its series.</param>
public sealed record MetricFamily(string Name, MetricType Type, string Help, string? Unit, IReadOnlyList<MetricSample> Samples);
