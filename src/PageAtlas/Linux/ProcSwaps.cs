namespace PageAtlas.Linux;

/// <summary>
/// /proc/swaps: a header line, then one line per swap area in use
/// ("/swapfile file 65532 0 -2"). An area stays listed until swapoff has brought back every page
/// it held (mm/swapfile.c keeps it SWP_USED through try_to_unuse), so an empty list means that
/// nothing at all is in swap.
/// </summary>
public static class ProcSwaps
{
    /// <summary>Whether <paramref name="text"/> (the file's contents) lists a swap area.</summary>
    public static bool AnyArea(string text)
    {
        bool header = true;
        foreach (var line in text.AsSpan().EnumerateLines())
        {
            if (header)
            {
                header = false;
                continue;
            }
            if (!line.IsWhiteSpace()) return true;
        }
        return false;
    }

    /// <summary>Whether this machine has a swap area in use now (false where /proc/swaps cannot be read: a kernel without swap).</summary>
    public static bool AnyAreaActive() => ProcFs.TryReadText("/proc/swaps") is { } text && AnyArea(text);
}
