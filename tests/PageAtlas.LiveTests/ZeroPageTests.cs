using PageAtlas.Analysis;
using PageAtlas.Linux;
using PageAtlas.Model;

namespace PageAtlas.LiveTests;

/// <summary>
/// Pages only ever read map the kernel's shared zero page: no memory of their own, and smaps leaves
/// them out of Rss. maps and composition count them apart. Some kernels never map the zero page on
/// a read fault (this project's machines boot with pvm_no_zero_page=1): there the test says so and
/// skips, and the QEMU guest of kmod/test.sh checks the same facts on a kernel that does.
/// </summary>
public class ZeroPageTests
{
    [SkippableFact]
    public void PagesOnlyReadAreZeroPageMappingsNotResidentMemory()
    {
        using var specimen = Specimen.Start("--zero-mib", "1");
        ulong area = specimen["zero"];
        using var target = LiveProcess.Open(specimen.Pid);
        var pages = AddressTranslation.Translate(target, new AddressRange(area, area + (1UL << 20))).ToList();
        int zero = pages.Count(p => (p.Page.Flags & FrameFlags.ZeroPage) != 0);
        if (zero == 0)
        {
            string cmdline = File.ReadAllText("/proc/cmdline");
            throw new SkipException(cmdline.Contains("pvm_no_zero_page=1", StringComparison.Ordinal)
                ? "this kernel maps no zero page on read faults (pvm_no_zero_page=1 in /proc/cmdline): the QEMU guest (kmod/test.sh) checks it"
                : "the kernel gave the read-only area pages of its own, not the zero page: the QEMU guest (kmod/test.sh) checks it");
        }
        Assert.Equal(256, zero);
        var vma = target.Vmas.Single(v => v.Vma.Contains(area));
        var counts = Residency.Measure(target).Vmas.Single(r => r.Vma == vma).Counts;
        var kernel = Smaps.Read(specimen.Pid)[vma.Vma.Start];
        Assert.True(counts.ZeroPage >= 256);
        Assert.Equal(kernel["Rss"] / 4, counts.Present);
        Assert.Equal(counts.ZeroPage, Composition.Measure(target).Vmas.Single(r => r.Vma == vma).Counts.ZeroPage);
    }
}
