namespace PageAtlas.Analysis;

/// <summary>
/// Frames in common between processes, from each one's frames of a group sorted (duplicates kept:
/// a frame mapped twice by one process is one frame, and two of its pages).
/// </summary>
internal static class FrameOverlap
{
    /// <summary>Distinct frames every process maps, and per process the pages whose frame no other process maps.</summary>
    public static (ulong InAll, ulong[] Private) Count(ReadOnlyMemory<ulong>[] sorted)
    {
        int n = sorted.Length;
        var cursor = new int[n];
        ulong inAll = 0;
        var first = sorted[0].Span;
        for (int f = 0; f < first.Length; f++)
        {
            if (f > 0 && first[f] == first[f - 1]) continue;
            bool everywhere = true;
            for (int j = 1; j < n && everywhere; j++) everywhere = Advance(sorted[j].Span, ref cursor[j], first[f]);
            if (everywhere) inAll++;
        }

        var privateCounts = new ulong[n];
        for (int i = 0; i < n; i++)
        {
            Array.Clear(cursor);
            var own = sorted[i].Span;
            for (int p = 0; p < own.Length; p++)
            {
                bool elsewhere = false;
                for (int j = 0; j < n; j++)
                    if (j != i && Advance(sorted[j].Span, ref cursor[j], own[p])) elsewhere = true;
                if (!elsewhere) privateCounts[i]++;
            }
        }
        return (inAll, privateCounts);
    }

    /// <summary>Moves <paramref name="cursor"/> forward in a sorted span to the first value ≥ <paramref name="value"/>; true when it equals it.</summary>
    private static bool Advance(ReadOnlySpan<ulong> sorted, ref int cursor, ulong value)
    {
        while (cursor < sorted.Length && sorted[cursor] < value) cursor++;
        return cursor < sorted.Length && sorted[cursor] == value;
    }
}
