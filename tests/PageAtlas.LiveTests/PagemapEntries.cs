namespace PageAtlas.LiveTests;

/// <summary>/proc/PID/pagemap read by the test itself, not by PageAtlas: an independent view of a page's frame.</summary>
internal static class PagemapEntries
{
    /// <summary>The frame number of the present page at <paramref name="address"/> of process <paramref name="pid"/>.</summary>
    public static ulong FrameOf(int pid, ulong address)
    {
        using var pagemap = File.OpenHandle($"/proc/{pid}/pagemap");
        Span<byte> entry = stackalloc byte[8];
        RandomAccess.Read(pagemap, entry, (long)(address / 4096) * 8);
        ulong raw = BitConverter.ToUInt64(entry);
        Assert.True((raw >> 63) == 1, $"page 0x{address:x} of process {pid} is not present");
        return raw & ((1UL << 55) - 1); // bits 0-54: the PFN (Documentation/admin-guide/mm/pagemap.rst)
    }
}
