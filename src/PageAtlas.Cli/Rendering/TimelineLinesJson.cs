using PageAtlas.Analysis;
using PageAtlas.Rendering;

namespace PageAtlas.Cli.Rendering;

/// <summary>watch's JSON lines: one sample per line (<see cref="TimelineJson"/>), flushed as it is taken.</summary>
internal static class TimelineLinesJson
{
    public static void Write(Stream stdout, TimelineSample s) => CommonOptions.WriteJsonLine(stdout, json => TimelineJson.Write(json, s));
}
