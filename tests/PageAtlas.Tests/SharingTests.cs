using PageAtlas.Analysis;
using PageAtlas.Paging;

namespace PageAtlas.Tests;

/// <summary>Sharing on fake processes: frames in common, own pages, and a process that vanishes mid-read.</summary>
public class SharingTests
{
    private const ulong Base = 0x7f0000000000;

    private static FakeTarget Process(int pid, params ulong[] frames)
    {
        var target = new FakeTarget(PagingMode.FourLevel, pid: pid).Vma(Base, Base + 0x10000);
        for (int i = 0; i < frames.Length; i++) if (frames[i] != 0) target.Present(Base + (ulong)i * 4096, frames[i]);
        return target;
    }

    [Fact]
    public void CountsFramesInCommonOwnPagesAndSameAddresses()
    {
        var report = Sharing.Compare([Process(10, 0x100, 0x101, 0x102), Process(11, 0x100, 0x201, 0, 0x102)]);
        var total = report.Total;
        Assert.Equal([3UL, 3UL], total.Resident);
        Assert.Equal(2UL, total.FramesInAll);
        Assert.Equal([1UL, 1UL], total.Private);
        Assert.Equal((2UL, 1UL, 1UL), (total.SameAddressInAll, total.SameAddressSameFrame, total.SameAddressDifferentFrames));
    }

    [Fact]
    public void AProcessThatExitsMidReadIsLeftOutWithANote()
    {
        var gone = Process(12, 0x100);
        gone.ExitsWhenRead = true;
        var report = Sharing.Compare([Process(10, 0x100), Process(11, 0x100), gone]);
        Assert.Equal([10, 11], report.Participants.Select(p => p.Pid));
        Assert.Contains(report.Notes, n => n.Contains("left out", StringComparison.Ordinal));
        Assert.Throws<TargetUnavailableException>(() => Sharing.Compare([Process(10, 0x100), gone]));
    }
}
