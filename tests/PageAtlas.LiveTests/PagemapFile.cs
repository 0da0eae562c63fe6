namespace PageAtlas.LiveTests;

/// <summary>/proc/PID/pagemap read here directly, without PageAtlas: the independent side of a comparison.</summary>
internal static class PagemapFile
{
    /// <summary><paramref name="count"/> raw pagemap entries of <paramref name="pid"/> from <paramref name="address"/>.</summary>
    public static ulong[] Entries(int pid, ulong address, int count)
    {
        using var pagemap = File.OpenHandle($"/proc/{pid}/pagemap");
        var bytes = new byte[count * 8];
        int read = RandomAccess.Read(pagemap, bytes, (long)(address / 4096 * 8));
        Assert.Equal(bytes.Length, read);
        return Enumerable.Range(0, count).Select(i => BitConverter.ToUInt64(bytes, i * 8)).ToArray();
    }

    /// <summary>The frame number of the present page at <paramref name="address"/> of process <paramref name="pid"/>.</summary>
    public static ulong FrameOf(int pid, ulong address)
    {
        ulong raw = Entries(pid, address, 1)[0];
        Assert.True((raw >> 63) == 1, $"page 0x{address:x} of process {pid} is not present");
        return raw & ((1UL << 55) - 1); // bits 0-54: the PFN (Documentation/admin-guide/mm/pagemap.rst)
    }

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
