using PageAtlas.Linux;
using PageAtlas.Model;

namespace PageAtlas.Labs;

/// <summary>
/// Seed 004, experiment 3: two processes attached to one System V segment see the same physical
/// frame; so do two mappings of one POSIX shared memory object and of one memfd.
/// </summary>
public sealed class SharedMemoryLab : ILab
{
    /// <inheritdoc/>
    public string Name => "shm";

    /// <inheritdoc/>
    public string Title => "two processes attached to one System V segment (and POSIX shm, memfd) see the same frame";

    /// <inheritdoc/>
    public LabReport Run(LabCapture? capture = null)
    {
        using var creator = SpecimenProcess.Start("sharer", "create");
        var sysv = creator.Line("sysv");
        var posix = creator.Line("posix");
        var memfd = creator.Line("memfd");
        using var attacher = SpecimenProcess.Start("sharer", "attach", sysv[1], posix[1], memfd[1]);
        using var a = LiveProcess.Open(creator.Pid);
        using var b = LiveProcess.Open(attacher.Pid);
        var verdicts = new List<LabVerdict>();

        foreach (var (name, kind, label) in new[] { ("sysv", SegmentKind.SysVShm, "System V segment"), ("posix", SegmentKind.PosixShm, "POSIX shared memory object"), ("memfd", SegmentKind.Memfd, "memfd") })
        {
            ulong addressA = LabPages.ParseHex(creator.Line(name)[2]), addressB = LabPages.ParseHex(attacher.Line(name)[2]);
            var pageA = LabPages.At(a, addressA);
            var pageB = LabPages.At(b, addressB);
            var classA = a.Vmas.Single(v => v.Vma.Contains(addressA)).Class;
            var classB = b.Vmas.Single(v => v.Vma.Contains(addressB)).Class;
            bool shmem = (pageA.Flags & FrameFlags.SwapBacked) != 0 && (pageA.Flags & FrameFlags.Anonymous) == 0;
            verdicts.Add(new LabVerdict($"the {label} is one frame in both processes",
                pageA.Entry.IsPresent && pageA.Entry.Pfn == pageB.Entry.Pfn && pageA.MapCount >= 2 && shmem && classA.Kind == kind && classB.Kind == kind,
                $"pid {creator.Pid} VA {LabPages.Hex(addressA)} and pid {attacher.Pid} VA {LabPages.Hex(addressB)} -> PFN {LabPages.Hex(pageA.Entry.Pfn)} / {LabPages.Hex(pageB.Entry.Pfn)} " +
                $"(PA {LabPages.Hex(pageA.Entry.Pfn * 4096)}), map count {pageA.MapCount}, shared memory (swap-backed, not anonymous): {shmem}; classes {classA} / {classB}")
            {
                Links =
                [
                    LabLink.FrameOf($"the {label}'s frame and the processes that map it", pageA.Entry.Pfn),
                    LabLink.Page($"the page in pid {creator.Pid}", creator.Pid, addressA), LabLink.Page($"the page in pid {attacher.Pid}", attacher.Pid, addressB),
                ],
            });
        }
        capture?.Invoke([creator.Pid, attacher.Pid]);
        return new LabReport(Name, Title, "004", verdicts, []) { Subjects = [creator.Pid, attacher.Pid] };
    }
}
