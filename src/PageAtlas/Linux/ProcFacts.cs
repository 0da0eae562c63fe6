using PageAtlas.Model;

namespace PageAtlas.Linux;

/// <summary>Makes <see cref="ProcessFacts"/> of a process's /proc/&lt;pid&gt;/stat and status.</summary>
public static class ProcFacts
{
    /// <summary>The facts in <paramref name="stat"/> and <paramref name="status"/>, keeping both texts as their source.</summary>
    public static ProcessFacts From(ProcStat stat, ProcStatus status) =>
        new(stat.Pid, stat.Command, stat.ParentPid, stat.VirtualSize, status.ResidentBytes, status.PageTableBytes,
            stat.StartCode, stat.StartStack, stat.StartBrk)
        { Source = new ProcText(stat.RawText, status.RawText) };

    /// <summary>Parses <paramref name="text"/>: the stat line, then the status file.</summary>
    /// <exception cref="KernelDataException">The stat line is not one (<paramref name="statSource"/> names it).</exception>
    public static ProcessFacts Parse(ProcText text, string statSource) =>
        From(ProcStat.Parse(text.Stat, statSource), ProcStatus.Parse(text.Status));
}
