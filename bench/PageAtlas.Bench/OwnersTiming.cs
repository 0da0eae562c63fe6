using System.Diagnostics;
using System.Globalization;
using PageAtlas.Analysis;
using PageAtlas.Linux;
using PageAtlas.Model;

namespace PageAtlas.Bench;

/// <summary>
/// frame → owners across every process of the machine, with a 4 GiB process among them: a heap page
/// (one mapping: the search stops when found), a libc code page (many mappings, page-cache: only file
/// VMAs read) and a THP page (a large folio: no early stop, every private VMA of every process read).
/// </summary>
internal static class OwnersTiming
{
    public static int Run(string root, int rounds)
    {
        using var big = new Scenario("4 GiB", ["--touch-mib", "4096", "--thp"]).Start();
        var facts = new Dictionary<string, ulong>();
        try
        {
            using var target = LiveProcess.Open(big.Pid);
            ulong Pfn(ulong address) => AddressTranslation.Translate(target, new AddressRange(address, address + 1)).Single().Page.Entry.Pfn;
            var libc = target.Vmas.First(v => v.Class.Kind == SegmentKind.LibraryCode && v.Class.Owner!.StartsWith("libc", StringComparison.Ordinal));
            var heap = target.Vmas.First(v => v.Class.Kind == SegmentKind.Heap);
            var thp = target.Vmas.Where(v => v.Vma.Size >= 4 << 20 && v.Vma.Size < 1 << 30).OrderBy(v => v.Vma.Size).First();
            var cases = new (string Name, ulong Pfn)[]
            {
                ("heap page (1 mapping, early stop)", Pfn(heap.Vma.Start)),
                ("libc code page (file VMAs only)", Pfn(libc.Vma.Start)),
                ("THP page (large folio: full search)", Pfn((thp.Vma.Start + (2UL << 20) - 1) & ~((2UL << 20) - 1))),
            };
            using var frames = new LiveFrameSource();
            int processes = ProcessList.Pids().Count;
            foreach (var (name, pfn) in cases)
            {
                FrameOwnersReport? report = null;
                double best = double.MaxValue;
                for (int round = 0; round < rounds + 1; round++)
                {
                    var clock = Stopwatch.StartNew();
                    report = FrameOwners.Find(pfn, frames, ProcessList.Pids(), LiveProcess.Open, null, null);
                    if (round > 0) best = Math.Min(best, clock.Elapsed.TotalSeconds);
                }
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"owners of {name,-40} {report!.Mappings.Count,3} mapping(s), {report.ProcessesSearched,3} of {processes} processes read, {best * 1000,8:0.0} ms"));
            }
            Console.WriteLine($"peak {Process.GetCurrentProcess().PeakWorkingSet64 >> 20} MiB");
            return 0;
        }
        finally
        {
            big.Kill();
        }
    }
}
