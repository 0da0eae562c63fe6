using PageAtlas.Linux;
using PageAtlas.Model;

namespace PageAtlas.LiveTests;

public class ClassificationTests
{
    private static SegmentClass ClassOf(LiveProcess target, ulong address) =>
        target.Vmas.Single(v => v.Vma.Contains(address)).Class;

    [SkippableFact]
    public void SegmentsFollowStatAndElfHeaders()
    {
        using var specimen = Specimen.Start("--threads", "2");
        using var target = LiveProcess.Open(specimen.Pid);

        Assert.Equal(SegmentKind.Code, ClassOf(target, specimen["code"]).Kind);
        Assert.Equal(SegmentKind.Data, ClassOf(target, specimen["data"]).Kind);
        Assert.Equal(SegmentKind.Bss, ClassOf(target, specimen["bss-untouched"]).Kind);
        Assert.Equal(SegmentKind.Heap, ClassOf(target, specimen["heap"]).Kind);
        Assert.Equal(SegmentKind.MainStack, ClassOf(target, specimen["stack"]).Kind);
        Assert.Equal(SegmentKind.AnonymousMapping, ClassOf(target, specimen["sparse"]).Kind);
        Assert.True(ClassOf(target, target.Facts.StartCode).Kind == SegmentKind.Code);

        Assert.Equal(2, specimen.Threads.Count);
        foreach (var (_, tid, stack, _) in specimen.Threads)
        {
            var stackClass = ClassOf(target, stack);
            Assert.Equal(SegmentKind.ThreadStack, stackClass.Kind);
            Assert.Equal(tid, stackClass.ThreadId);
            // glibc puts a PROT_NONE guard directly below each thread stack.
            var stackVma = target.Vmas.Single(v => v.Vma.Contains(stack));
            Assert.Equal(SegmentKind.Guard, ClassOf(target, stackVma.Vma.Start - 1).Kind);
        }

        var libc = target.Vmas.Where(v => v.Vma.Path.EndsWith("/libc.so.6", StringComparison.Ordinal)).ToList();
        Assert.Contains(libc, v => v.Class.Kind == SegmentKind.LibraryCode && v.Class.Owner == "libc.so.6"
                                   && (v.Vma.Permissions & VmaPermissions.Execute) != 0);
        Assert.Contains(libc, v => v.Class.Kind == SegmentKind.LibraryData && (v.Vma.Permissions & VmaPermissions.Write) != 0);
        Assert.All(libc, v => Assert.True(SegmentClass.IsLibrary(v.Class.Kind)));
        // libc's bss: anonymous, right after its last file-backed mapping.
        var last = libc[^1].Vma;
        var after = target.Vmas.FirstOrDefault(v => v.Vma.Start == last.End && !v.Vma.IsFileBacked);
        if (after is not null) Assert.Equal(new SegmentClass(SegmentKind.LibraryBss, "libc.so.6"), after.Class);

        Assert.Contains(target.Vmas, v => v.Class.Kind == SegmentKind.Vdso);
        Assert.Contains(target.Vmas, v => v.Class.Kind == SegmentKind.Vsyscall);
    }
}

public class SharedMemoryClassificationTests
{
    [SkippableFact]
    public void SharedMemoryKindsAreToldApart()
    {
        using var specimen = Specimen.Start("--shared");
        using var target = LiveProcess.Open(specimen.Pid);
        SegmentKind KindOf(string fact) => target.Vmas.Single(v => v.Vma.Contains(specimen[fact])).Class.Kind;

        Assert.Equal(SegmentKind.SysVShm, KindOf("sysv-shm"));
        Assert.Equal(SegmentKind.PosixShm, KindOf("posix-shm"));
        Assert.Equal(SegmentKind.Memfd, KindOf("memfd"));
        Assert.Equal(SegmentKind.SharedAnonymous, KindOf("shared-anon"));
        Assert.Equal(SegmentKind.FileMapping, KindOf("file"));
        // Each was written once: present, and shared memory pages carry pagemap's file/shared bit.
        foreach (var fact in new[] { "sysv-shm", "posix-shm", "memfd", "shared-anon" })
        {
            var page = target.ReadPages(specimen[fact], specimen[fact] + 4096, Model.PageReadOptions.PopulatedWithFrames).Single().Pages.Span[0];
            Assert.True(page.Entry.IsPresent && page.Entry.IsFileOrSharedAnon, fact);
        }
    }
}
