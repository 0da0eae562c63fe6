using PageAtlas.Linux;
using PageAtlas.Model;

namespace PageAtlas.Tests.Corpus;

/// <summary>
/// The /proc parsers over a corpus of files (tests/PageAtlas.Tests/Corpus): "real-*" were read from a
/// Debian 12 machine with kernel 6.18 (processes that set their own comm through /proc/self/comm, a
/// kernel thread, a process mapping files with a space, a newline and " (deleted)" in their names, and
/// the machine-wide files); "crafted-*" are written by hand for what a machine rarely shows. Every
/// file is decoded as the live reader decodes it (KernelText.Decode: bytes that are not UTF-8 kept),
/// and every file in a folder is in its table, so a file added without an expectation fails.
/// </summary>
public class CorpusTests
{
    private static string Folder(string name) => Path.Combine(AppContext.BaseDirectory, "Corpus", name);

    /// <summary>
    /// The text with each byte KernelText kept as a lone surrogate written "\xHH": xunit carries theory
    /// data as text, where a lone surrogate would turn into U+FFFD.
    /// </summary>
    private static string Visible(string text) =>
        string.Concat(text.Select(c => KernelText.EscapedByte(c) is { } b ? $"\\x{b:x2}" : c.ToString()));

    private static string Read(string folder, string file) => KernelText.Decode(File.ReadAllBytes(Path.Combine(Folder(folder), file)));

    /// <summary>stat files: the command as the parser must give it (null: malformed), the state, the parent, a kernel thread.</summary>
    public static TheoryData<string, string?, char, int, bool> Stats => new()
    {
        { "real-cat.stat", "cat", 'R', 5175, false },
        { "real-kthreadd.stat", "kthreadd", 'S', 0, true },
        { "real-kworker.stat", "kworker/R-rcu_gp", 'I', 2, true },
        { "real-16-bytes.stat", "0123456789abcde", 'S', 5411, false }, // 19 bytes written, TASK_COMM_LEN keeps 15
        { "real-newline.stat", "two\nlines", 'S', 5640, false },        // stat gives the newline raw
        { "real-non-utf8.stat", "bad\\xff\\xfename", 'S', 5411, false }, // bytes 0xff 0xfe, kept (compared through Visible)
        { "real-paren-at-end.stat", "x) S 1 2 3 )", 'S', 5411, false },
        { "real-spaces-parens.stat", "a) b (c)", 'S', 5411, false },
        { "crafted-empty-comm.stat", "", 'S', 1, false },
        { "crafted-only-paren.stat", ")", 'S', 1, false },
        { "crafted-controls.stat", "a\tb\rc\u001b[31m", 'S', 1, false },
        { "crafted-ppid-beyond-32-bits.stat", null, '?', 0, false },
        { "crafted-truncated.stat", null, '?', 0, false },
        { "crafted-no-close-paren.stat", null, '?', 0, false },
        { "crafted-empty-file.stat", null, '?', 0, false },
    };

    [Theory]
    [MemberData(nameof(Stats))]
    public void StatFiles(string file, string? command, char state, int parent, bool kernelThread)
    {
        string text = Read("stat", file);
        if (command is null)
        {
            Assert.Throws<KernelDataException>(() => ProcStat.Parse(text, file));
            return;
        }
        var stat = ProcStat.Parse(text, file);
        Assert.Equal(command, Visible(stat.Command));
        Assert.Equal(state, stat.State);
        Assert.Equal(parent, stat.ParentPid);
        Assert.Equal(kernelThread, stat.IsKernelThread);
        // A kernel thread has no user memory: the kernel shows its address fields as 0.
        if (kernelThread) Assert.Equal(0UL, stat.StartCode | stat.EndCode | stat.StartStack | stat.StartBrk);
        else Assert.NotEqual(0UL, stat.StartStack);
    }

    /// <summary>status files: Name as the kernel escapes it there (a newline is "\n", two characters), and VmPTE.</summary>
    public static TheoryData<string, string, ulong?> Statuses => new()
    {
        { "real-kthreadd.status", "kthreadd", null }, // a kernel thread has no Vm* fields
        { "real-newline.status", "two\\nlines", 72 * 1024 },
        { "real-non-utf8.status", "bad\\xff\\xfename", 44 * 1024 },
        { "real-paren-at-end.status", "x) S 1 2 3 )", 52 * 1024 },
        { "real-spaces-parens.status", "a) b (c)", 44 * 1024 },
        { "real-16-bytes.status", "0123456789abcde", 44 * 1024 },
    };

    [Theory]
    [MemberData(nameof(Statuses))]
    public void StatusFiles(string file, string name, ulong? pageTableBytes)
    {
        var status = ProcStatus.Parse(Read("status", file));
        Assert.Equal(name, Visible(status.Name!));
        Assert.Equal(pageTableBytes, status.PageTableBytes);
    }

    /// <summary>maps files: VMA count, then the VMAs checked by path (null: the file is malformed).</summary>
    public static TheoryData<string, int> Maps => new()
    {
        { "real-python-hostile-paths.maps", 113 },
        { "crafted-edges.maps", 4 },
        { "crafted-escapes-big-device.maps", 1 },
        { "crafted-end-before-start.maps", -1 },
        { "crafted-not-hex.maps", -1 },
        { "crafted-bad-perms.maps", -1 },
        { "crafted-address-beyond-64-bits.maps", -1 },
        { "crafted-inode-beyond-64-bits.maps", -1 },
    };

    [Theory]
    [MemberData(nameof(Maps))]
    public void MapsFiles(string file, int count)
    {
        string text = Read("maps", file);
        if (count < 0)
        {
            Assert.Throws<KernelDataException>(() => ProcMaps.Parse(text, file));
            return;
        }
        var vmas = ProcMaps.Parse(text, file);
        Assert.Equal(count, vmas.Count);
        Assert.All(vmas, v => Assert.True(v.Start <= v.End));
        Assert.Equal(vmas.OrderBy(v => v.Start).Select(v => v.Start), vmas.Select(v => v.Start));
    }

    [Fact]
    public void MappedFileNamesComeOutAsTheFilesAreNamed()
    {
        var vmas = ProcMaps.Parse(Read("maps", "real-python-hostile-paths.maps"));
        Vma Named(string suffix) => Assert.Single(vmas, v => v.Path.EndsWith(suffix, StringComparison.Ordinal));
        Assert.False(Named("/with space").IsDeleted);
        Assert.False(Named("/new\nline").IsDeleted); // the kernel writes "\012"
        Assert.True(Named("/gone").IsDeleted);
        // A live file whose name ends in " (deleted)" reads as deleted: maps cannot tell the two apart
        // (show_map appends the suffix with no escape), so the parser keeps the kernel's ambiguity.
        Assert.True(Named("/tab\there").IsDeleted);
        var vsyscall = Assert.Single(vmas, v => v.Path == "[vsyscall]");
        Assert.Equal(0xffffffffff600000UL, vsyscall.Start);
        Assert.Single(vmas, v => v.Path == "[heap]");
        Assert.Single(vmas, v => v.Path == "[vdso]");
    }

    [Fact]
    public void CraftedMapsLinesKeepTheirEdges()
    {
        var edges = ProcMaps.Parse(Read("maps", "crafted-edges.maps"));
        Assert.Equal("/usr/bin/a b", edges[0].Path);
        Assert.Equal(4294967295UL, edges[0].Inode);
        Assert.Equal("", edges[2].Path);
        Assert.Equal(0xff80000000000000UL, edges[2].End);
        var escaped = Assert.Single(ProcMaps.Parse(Read("maps", "crafted-escapes-big-device.maps")));
        Assert.Equal("/x\\y\nz", escaped.Path);
        Assert.True(escaped.IsDeleted);
        Assert.Equal(ulong.MaxValue, escaped.Inode);
    }

    [Fact]
    public void SmapsOfTheSameProcessAgreesWithItsMaps()
    {
        var maps = ProcMaps.Parse(Read("maps", "real-python-hostile-paths.maps"));
        var smaps = ProcSmaps.Parse(Read("smaps", "real-python-hostile-paths.smaps"));
        Assert.Equal(maps.Select(v => v.Start).Order(), smaps.Keys.Order());
        Assert.All(smaps.Values, area => Assert.Equal(4096UL, area.KernelPageSize));
        var flags = ProcSmaps.VmFlags(Read("smaps", "real-python-hostile-paths.smaps"));
        Assert.Equal(maps.Count, flags.Count);
        // Mapped shared from a read-only descriptor: the kernel leaves VM_SHARED off and sets VM_MAYSHARE.
        Assert.Contains("ms", flags.Single(f => f.Start == maps.Single(v => v.Path.EndsWith("/gone", StringComparison.Ordinal)).Start).Flags);
    }

    [Fact]
    public void MachineFilesParse()
    {
        var meminfo = ProcMeminfo.Parse(Read("machine", "real-meminfo"));
        Assert.NotNull(meminfo);
        var buddy = ProcBuddyinfo.Parse(Read("machine", "real-buddyinfo"));
        Assert.Contains(buddy, z => z.Zone == "Normal");
        var zones = ProcZoneinfo.Parse(Read("machine", "real-zoneinfo"));
        Assert.Contains(zones, z => z.Name == "DMA" && z.StartPfn == 1);
        Assert.Equal(zones.Select(z => (z.Node, z.Name)), zones.Select(z => (z.Node, z.Name)).Distinct());
        var iomem = ProcIomem.Parse(Read("machine", "real-iomem"));
        Assert.Contains(iomem, r => r.IsSystemRam && r.Start == 0x1000);
        Assert.False(ProcSwaps.AnyArea(Read("machine", "real-swaps"))); // this machine had no swap
        Assert.DoesNotContain((0u, 0u), ProcMountinfo.TmpfsDevices(Read("machine", "real-mountinfo")));
    }

    /// <summary>Every corpus file has an expectation: a file dropped in without one fails here.</summary>
    [Fact]
    public void EveryCorpusFileIsInATable()
    {
        static IEnumerable<string> Files(string folder) => Directory.GetFiles(Folder(folder)).Select(Path.GetFileName).Order()!;
        Assert.Equal(Files("stat"), Stats.Select(row => (string)row[0]).Order());
        Assert.Equal(Files("status"), Statuses.Select(row => (string)row[0]).Order());
        Assert.Equal(Files("maps"), Maps.Select(row => (string)row[0]).Order());
    }
}
