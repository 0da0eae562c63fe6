namespace PageAtlas.LiveTests;

/// <summary>/proc/PID/pagemap read here directly, without PageAtlas: the independent side of a comparison.</summary>
internal static class PagemapFile
{
    /// <summary>PFNs of the present pages of [start, end), by address.</summary>
    public static Dictionary<ulong, ulong> PresentFrames(int pid, ulong start, ulong end)
    {
        using var pagemap = new FileStream($"/proc/{pid}/pagemap", FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1);
        var bytes = new byte[(end - start) / 4096 * 8];
        pagemap.Position = (long)(start / 4096 * 8);
        pagemap.ReadExactly(bytes);
        var frames = new Dictionary<ulong, ulong>();
        for (int i = 0; i < bytes.Length / 8; i++)
        {
            ulong entry = BitConverter.ToUInt64(bytes, i * 8);
            if ((entry >> 63) != 0) frames[start + (ulong)i * 4096] = entry & ((1UL << 55) - 1);
        }
        return frames;
    }
}
