using PageAtlas.Analysis;
using PageAtlas.Model;
using PageAtlas.Paging;
using PageAtlas.Snapshots;

namespace PageAtlas.Tests.Cli;

/// <summary>
/// Snapshot files crafted from fake processes and a fake machine, for the CLI to read in-process:
/// what each holds is known here, so every figure the CLI prints can be checked against it.
/// </summary>
public sealed class CliSnapshotFixture : IDisposable
{
    /// <summary>The fake process's pid.</summary>
    public const int Pid = 4242;

    /// <summary>The heap VMA: <see cref="HeapPages"/> present pages on frames 0x1000 upwards, then a gap, then one more on frame 0x77.</summary>
    public const ulong Heap = 0x7f0000010000;

    /// <summary>A VMA with two swapped pages (at its start and 3 pages in).</summary>
    public const ulong Swap = 0x7f0010000000;

    public const int HeapPages = 24;

    /// <summary>Frames the crafted machine has, of which the first 256 are anonymous and mapped once, the next 768 on the LRU only.</summary>
    public const int Frames = 8192;

    /// <summary>The flags of the machine's anonymous frames.</summary>
    public const FrameFlags Anonymous = FrameFlags.Anonymous | FrameFlags.Mmap | FrameFlags.Lru | FrameFlags.SwapBacked;

    private readonly string _directory = Directory.CreateTempSubdirectory("pageatlas-cli-").FullName;

    public CliSnapshotFixture()
    {
        using (var before = Process(HeapPages))
            SnapshotWriter.Write(Before, [before], before.Machine, null);
        using (var after = Process(HeapPages + 4))
        using (var frames = Machine())
            SnapshotWriter.Write(After, [after], after.Machine, MachineFrames.Take(frames));
        using (var one = Process(HeapPages))
        using (var other = new FakeTarget(PagingMode.FourLevel, pid: 777).Vma(Heap, Heap + 0x10000).Present(Heap, 0x1000, 4).Present(Heap + 0x4000, 0x5000, 2))
            SnapshotWriter.Write(Two, [one, other], one.Machine, null);
        using (var libraries = LibraryProcess())
            SnapshotWriter.Write(Wide, [libraries], libraries.Machine, null);
    }

    /// <summary>The pid of the process in <see cref="Wide"/>.</summary>
    public const int LibrariesPid = 4343;

    /// <summary>The first of <see cref="LibraryVmas"/> library VMAs, 64 KiB apart, 16 KiB each (4 pages, 3 present).</summary>
    public const ulong Libraries = 0x7f1234560000;

    public const int LibraryVmas = 24;

    /// <summary>A library path far wider than 80 columns: a table must shorten it and keep its file name.</summary>
    public const string LongPath = "/usr/lib/x86_64-linux-gnu/pageatlas/a/directory/deep/enough/to/need/shortening/libexample-with-a-long-name.so.6";

    /// <summary>A process with many library VMAs of long paths and a heap: every column of maps is wanted and none fits at 80.</summary>
    public string Wide => PathOf("wide.db");

    /// <summary>The process with <see cref="HeapPages"/> heap pages, no machine frames.</summary>
    public string Before => PathOf("before.db");

    /// <summary>The same process later: 4 more heap pages (frames 0x1018–0x101b); with the machine's frames.</summary>
    public string After => PathOf("after.db");

    /// <summary>Two processes (4242 and 777) sharing heap frames 0x1000–0x1003.</summary>
    public string Two => PathOf("two.db");

    public string PathOf(string name) => Path.Combine(_directory, name);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static FakeTarget Process(int heapPages) =>
        new FakeTarget(PagingMode.FourLevel, pid: Pid)
            .Vma(Heap, Heap + (ulong)HeapPages * 4096 + 0x20000).Present(Heap, 0x1000, heapPages).Present(Heap + (ulong)HeapPages * 4096 + 0x10000, 0x77)
            .Vma(Swap, Swap + 0x20000).Swapped(Swap).Swapped(Swap + 0x3000);

    private static FakeTarget LibraryProcess()
    {
        var target = new FakeTarget(PagingMode.FourLevel, pid: LibrariesPid).Vma(Heap, Heap + 0x40000).Present(Heap, 0x2000, 7).Swapped(Heap + 0x20000);
        for (int i = 0; i < LibraryVmas; i++)
        {
            ulong start = Libraries + (ulong)i * 0x10000;
            target.FileVma(start, start + 0x4000, i % 2 == 0 ? LongPath : $"/usr/lib/libshort{i}.so", new SegmentClass(SegmentKind.LibraryCode, i % 2 == 0 ? Path.GetFileName(LongPath) : $"libshort{i}.so"))
                .Present(start, 0x3000 + (ulong)i * 4, 3);
        }
        return target;
    }

    private static FakeFrameSource Machine()
    {
        var flags = new ulong[Frames];
        var counts = new ulong[Frames];
        for (int i = 0; i < 256; i++) (flags[i], counts[i]) = ((ulong)Anonymous, 1);
        for (int i = 256; i < 1024; i++) flags[i] = (ulong)FrameFlags.Lru;
        var files = new Dictionary<MachineFile, string>
        {
            [MachineFile.Meminfo] = "MemTotal:       32768 kB\nMemFree:        28672 kB\nAnonPages:       1024 kB\nCached:          3072 kB\n",
            [MachineFile.Buddyinfo] = "Node 0, zone   Normal      1      2      3      0      0      0      0      0      0      0      0\n",
            [MachineFile.Zoneinfo] = "Node 0, zone   Normal\n  pages free     7168\n        spanned  8192\n        present  8192\n        managed  8192\n  start_pfn:           0\n",
            [MachineFile.Iomem] = "00000000-01ffffff : System RAM\n",
        };
        return new FakeFrameSource(flags, counts, files);
    }
}
