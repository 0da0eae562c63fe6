using PageAtlas.Linux;
using PageAtlas.Model;

namespace PageAtlas.Labs;

/// <summary>
/// Seed 004, experiment 1: two independent runs of one program share the frames of their code and
/// of the libraries' code (the page cache holds one copy of each file page), and not the memory
/// each writes: data, bss, heap, stack, the libraries' written data.
/// </summary>
public sealed class TwoRunsLab : ILab
{
    private static readonly SegmentKind[] s_written =
        [SegmentKind.Data, SegmentKind.Bss, SegmentKind.Heap, SegmentKind.MainStack, SegmentKind.LibraryData, SegmentKind.LibraryBss];

    /// <inheritdoc/>
    public string Name => "two-runs";

    /// <inheritdoc/>
    public string Title => "two runs of one program share code and library code frames, and not data, bss, heap or stack";

    /// <inheritdoc/>
    public LabReport Run(LabCapture? capture = null)
    {
        using var first = SpecimenProcess.Start("layout");
        using var second = SpecimenProcess.Start("layout");
        using var a = LiveProcess.Open(first.Pid);
        using var b = LiveProcess.Open(second.Pid);
        var verdicts = new List<LabVerdict>();
        var shared = LabLink.Share("what the two runs share, per class and per VMA", first.Pid, second.Pid);
        var observations = new List<string>();

        foreach (var (kind, owner, what) in new (SegmentKind, string?, string)[] { (SegmentKind.Code, null, "the program's code"), (SegmentKind.LibraryCode, "libc.so.6", "libc's code") })
        {
            var (same, different) = CompareByFileOffset(a, b, kind, owner);
            verdicts.Add(new LabVerdict($"{what} is one set of frames in both runs", same > 0 && different == 0,
                $"{same} page(s) present in both at the same file offset are on the same frame, {different} on different frames")
            { Links = [shared] });
        }

        foreach (var kind in s_written)
        {
            var anonymousA = Frames(a, kind, anonymous: true);
            var anonymousB = Frames(b, kind, anonymous: true);
            int common = anonymousA.Intersect(anonymousB).Count();
            string name = SegmentClass.IsLibrary(kind) ? $"libc's {new SegmentClass(kind).KindName[4..]}" : new SegmentClass(kind).KindName;
            verdicts.Add(new LabVerdict($"{name}: the pages each run wrote are its own", anonymousA.Count > 0 && anonymousB.Count > 0 && common == 0,
                $"{anonymousA.Count} and {anonymousB.Count} written (anonymous) page(s), {common} frame(s) in common")
            { Links = [shared] });
        }
        int cachedData = Frames(a, SegmentKind.Data, anonymous: false).Intersect(Frames(b, SegmentKind.Data, anonymous: false)).Count();
        if (cachedData > 0)
            observations.Add($"{cachedData} page(s) of the data segment that neither run wrote still share the file's page-cache frame: private file pages are copied only on write");
        capture?.Invoke([first.Pid, second.Pid]);
        return new LabReport(Name, Title, "004", verdicts, observations) { Subjects = [first.Pid, second.Pid] };
    }

    /// <summary>Pages of <paramref name="kind"/> present in both processes at the same offset in the same file: same frame or not.</summary>
    private static (int Same, int Different) CompareByFileOffset(IMemoryTarget a, IMemoryTarget b, SegmentKind kind, string? owner)
    {
        var framesA = FramesByOffset(a, kind, owner);
        var framesB = FramesByOffset(b, kind, owner);
        int same = 0, different = 0;
        foreach (var (offset, frame) in framesA)
        {
            if (!framesB.TryGetValue(offset, out ulong other)) continue;
            if (other == frame) same++; else different++;
        }
        return (same, different);
    }

    private static Dictionary<ulong, ulong> FramesByOffset(IMemoryTarget target, SegmentKind kind, string? owner)
    {
        var frames = new Dictionary<ulong, ulong>();
        foreach (var vma in target.Vmas.Where(v => v.Class.Kind == kind && (owner is null || v.Class.Owner == owner)))
        {
            foreach (var page in LabPages.Range(target, vma.Vma.Start, vma.Vma.End))
                if (page.Entry.IsPresent) frames[vma.Vma.Offset + (page.Address - vma.Vma.Start)] = page.Entry.Pfn;
        }
        return frames;
    }

    /// <summary>Frames of <paramref name="kind"/> (libc's, for a library class) that are anonymous, or not.</summary>
    private static HashSet<ulong> Frames(LiveProcess target, SegmentKind kind, bool anonymous) =>
        target.Vmas.Where(v => v.Class.Kind == kind && (!SegmentClass.IsLibrary(kind) || v.Class.Owner == "libc.so.6"))
            .SelectMany(v => LabPages.Range(target, v.Vma.Start, v.Vma.End))
            .Where(p => p.Entry.IsPresent && ((p.Flags & FrameFlags.Anonymous) != 0) == anonymous).Select(p => p.Entry.Pfn).ToHashSet();
}
