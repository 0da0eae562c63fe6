using System.Globalization;
using System.Text;

namespace PageAtlas.Server.Metrics;

/// <summary>
/// Writes metric families in the Prometheus text format 0.0.4 or OpenMetrics 1.0.0: one writer, the
/// differences in one place. OpenMetrics names a counter's family without <c>_total</c> and its
/// samples with it, has a <c># UNIT</c> line, escapes quotes in help text too, and ends with
/// <c># EOF</c>; the 0.0.4 format names the counter <c>…_total</c> throughout.
/// </summary>
public static class ExpositionWriter
{
    /// <summary>The exposition of <paramref name="families"/> in <paramref name="format"/>.</summary>
    public static string Write(IEnumerable<MetricFamily> families, ExpositionFormat format) => Build(families, format).ToString();

    /// <summary>
    /// The exposition as the builder wrote it, for a caller that encodes its chunks as they are (the
    /// endpoint: a scrape of 1,000 processes is 2.5 million characters, which as one string and then
    /// one byte array would be two more copies on the large object heap).
    /// </summary>
    public static StringBuilder Build(IEnumerable<MetricFamily> families, ExpositionFormat format)
    {
        var text = new StringBuilder(1 << 16);
        bool open = format == ExpositionFormat.OpenMetrics;
        foreach (var family in families)
        {
            string sampleName = family.Type == MetricType.Counter ? family.Name + "_total" : family.Name;
            string familyName = open ? family.Name : sampleName;
            text.Append("# HELP ").Append(familyName).Append(' ');
            AppendEscaped(text, family.Help, escapeQuotes: open);
            text.Append('\n');
            text.Append("# TYPE ").Append(familyName).Append(' ').Append(family.Type == MetricType.Counter ? "counter" : "gauge").Append('\n');
            if (open && family.Unit is { } unit) text.Append("# UNIT ").Append(familyName).Append(' ').Append(unit).Append('\n');
            foreach (var sample in family.Samples)
            {
                text.Append(sampleName);
                AppendLabels(text, sample.Labels);
                text.Append(' ').Append(Number(sample.Value)).Append('\n');
            }
        }
        if (open) text.Append("# EOF\n");
        return text;
    }

    private static void AppendLabels(StringBuilder text, IReadOnlyList<KeyValuePair<string, string>> labels)
    {
        if (labels.Count == 0) return;
        text.Append('{');
        for (int i = 0; i < labels.Count; i++)
        {
            if (i > 0) text.Append(',');
            text.Append(labels[i].Key).Append("=\"");
            AppendEscaped(text, labels[i].Value, escapeQuotes: true);
            text.Append('"');
        }
        text.Append('}');
    }

    /// <summary>Both formats escape a backslash, a line feed and (in label values) a double quote; nothing else.</summary>
    private static void AppendEscaped(StringBuilder text, string value, bool escapeQuotes)
    {
        foreach (char c in value)
        {
            switch (c)
            {
                case '\\': text.Append(@"\\"); break;
                case '\n': text.Append(@"\n"); break;
                case '"' when escapeQuotes: text.Append("\\\""); break;
                default: text.Append(c); break;
            }
        }
    }

    /// <summary>Whole numbers as integers (byte counts stay exact up to 2^53), others shortest round-trip; NaN and infinities as both formats spell them.</summary>
    internal static string Number(double value) => value switch
    {
        double.NaN => "NaN",
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        _ when value == Math.Floor(value) && Math.Abs(value) < 9007199254740992d => ((long)value).ToString(CultureInfo.InvariantCulture),
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };
}
