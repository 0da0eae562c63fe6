using System.Buffers;
using PageAtlas.Linux;
using PageAtlas.Model;

namespace PageAtlas.Tests;

/// <summary>
/// Readers hold pooled arrays and file handles: disposing twice must not return an array twice (two
/// renters would then share one buffer), and using one after disposal must fail plainly. Reads this
/// test process's own pagemap, which needs no privilege.
/// </summary>
public class DisposalTests
{
    private static PageReader OpenOwnPages() =>
        new(new Pagemap(Environment.ProcessId, 1UL << 47), frames: null, Environment.SystemPageSize);

    [Fact]
    public void DisposingTwiceReturnsEachPooledArrayOnce()
    {
        var reader = OpenOwnPages();
        reader.Dispose();
        reader.Dispose();
        // A twice-returned array comes out of the pool twice: among these rents it would repeat.
        var rented = Enumerable.Range(0, 8).Select(_ => ArrayPool<ulong>.Shared.Rent(PageReader.BatchPages)).ToArray();
        try
        {
            Assert.Equal(rented.Length, rented.Distinct(ReferenceEqualityComparer.Instance).Count());
        }
        finally
        {
            foreach (var array in rented) ArrayPool<ulong>.Shared.Return(array);
        }
    }

    [Fact]
    public void ReadingAfterDisposalThrowsObjectDisposed()
    {
        var reader = OpenOwnPages();
        reader.Dispose();
        var vma = new ClassifiedVma(new Vma(0x1000, 0x2000, VmaPermissions.Read, 0, 0, 0, 0, "", false), new SegmentClass(SegmentKind.AnonymousMapping));
        Assert.Throws<ObjectDisposedException>(() => reader.Read([new VmaSpan(vma, 0x1000, 0x2000)], PageReadOptions.PopulatedWithFrames, isHugetlb: _ => false).ToList());
    }

    [Fact]
    public void ScanAfterDisposalThrowsInsteadOfUsingAStaleDescriptor()
    {
        var pagemap = new Pagemap(Environment.ProcessId, 1UL << 47);
        pagemap.Dispose();
        // The descriptor number may already name another file: the ioctl must never see it.
        using var other = File.OpenHandle("/proc/self/pagemap");
        Assert.Throws<ObjectDisposedException>(() => pagemap.TryScanPopulated(0x1000, 0x200000, []));
        Assert.Throws<ObjectDisposedException>(() => pagemap.Read(0x1000, new ulong[1]));
    }
}
