namespace PageAtlas.Analysis;

/// <summary>What a process list is sorted by: sizes largest first, pid ascending, name alphabetically (ordinal).</summary>
public enum ProcessOrder
{
    /// <summary>Proportional set size.</summary>
    Pss,
    /// <summary>Resident set size.</summary>
    Rss,
    /// <summary>Unique set size.</summary>
    Uss,
    /// <summary>Swap.</summary>
    Swap,
    /// <summary>Anonymous memory under PMD leaves.</summary>
    Thp,
    /// <summary>VMA count.</summary>
    Vmas,
    /// <summary>Process id, ascending.</summary>
    Pid,
    /// <summary>Command name, ordinal.</summary>
    Name,
}

/// <summary>Sorting a list of <see cref="ProcessSummary"/>; ties are broken by pid, so the order is stable run to run.</summary>
public static class ProcessOrdering
{
    /// <summary>The names <c>--sort</c> takes, in <see cref="ProcessOrder"/>'s order.</summary>
    public static IReadOnlyList<string> Names { get; } = Enum.GetNames<ProcessOrder>().Select(n => n.ToLowerInvariant()).ToArray();

    /// <summary>The order a user named.</summary>
    /// <exception cref="InvalidRequestException">No such order.</exception>
    public static ProcessOrder Parse(string text) =>
        Enum.TryParse<ProcessOrder>(text, ignoreCase: true, out var order) && Names.Contains(text.ToLowerInvariant())
            ? order
            : throw new InvalidRequestException($"'{text}' is not a sort order: one of {string.Join(", ", Names)}");

    /// <summary><paramref name="processes"/> in <paramref name="order"/>.</summary>
    public static IEnumerable<ProcessSummary> Sort(IEnumerable<ProcessSummary> processes, ProcessOrder order) => order switch
    {
        ProcessOrder.Pid => processes.OrderBy(p => p.Pid),
        ProcessOrder.Name => processes.OrderBy(p => p.Command, StringComparer.Ordinal).ThenBy(p => p.Pid),
        _ => processes.OrderByDescending(p => Size(p, order)).ThenBy(p => p.Pid),
    };

    private static ulong Size(ProcessSummary p, ProcessOrder order) => order switch
    {
        ProcessOrder.Rss => p.Rss,
        ProcessOrder.Uss => p.Uss,
        ProcessOrder.Swap => p.Swap,
        ProcessOrder.Thp => p.Thp,
        ProcessOrder.Vmas => (ulong)p.Vmas,
        _ => p.Pss,
    };
}
