using PageAtlas.Linux;

namespace PageAtlas.Tests;

public class ProcStatTests
{
    private const string Sleep =
        "4242 (sleep) S 1 4242 4242 0 -1 4194304 107 0 0 0 0 0 0 0 20 0 1 0 123 8515584 230 18446744073709551615 94770049757184 94770049774561 140726316656464 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0 94770049786864 94770049788512 94770054987776 140726316662611 140726316662631 140726316662631 140726316666857 0\n";

    [Fact]
    public void ReadsAddressFields()
    {
        var stat = ProcStat.Parse(Sleep);
        Assert.Equal(4242, stat.Pid);
        Assert.Equal("sleep", stat.Command);
        Assert.Equal(1, stat.ParentPid);
        Assert.Equal('S', stat.State);
        Assert.Equal(94770049757184UL, stat.StartCode);
        Assert.Equal(94770049774561UL, stat.EndCode);
        Assert.Equal(140726316656464UL, stat.StartStack);
        Assert.Equal(94770049786864UL, stat.StartData);
        Assert.Equal(94770049788512UL, stat.EndData);
        Assert.Equal(94770054987776UL, stat.StartBrk);
        Assert.Equal(230UL, stat.ResidentPages);
        Assert.False(stat.IsKernelThread);
    }

    [Fact]
    public void CommandMayContainParenthesesAndSpaces()
    {
        var stat = ProcStat.Parse(Sleep.Replace("(sleep)", "(a) b (c))"));
        Assert.Equal("a) b (c)", stat.Command);
        Assert.Equal(94770049757184UL, stat.StartCode);
    }

    [Fact]
    public void RecognisesKernelThreadsAndZombies()
    {
        var kthread = ProcStat.Parse("2 (kthreadd) S 0 0 0 0 -1 2129984 0 0 0 0 0 0 0 0 20 0 1 0 1 0 0 18446744073709551615 0 0 0 0 0 0 0 2147483647 0 0 0 0 17 0 0 0 0 0 0 0 0 0 0 0 0 0 0");
        Assert.True(kthread.IsKernelThread);
        Assert.True(ProcStat.Parse(Sleep.Replace(") S ", ") Z ")).IsZombie);
    }

    [Theory]
    [InlineData("")]
    [InlineData("12 sleep S 1")]
    [InlineData("12 (sleep) S 1 2 3")]
    [InlineData("x (sleep) S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28")]
    public void RejectsMalformedStat(string text) =>
        Assert.Throws<KernelDataException>(() => ProcStat.Parse(text));

    /// <summary>
    /// A parent pid or flags word wider than the kernel prints is refused, not cut to 32 bits (a parent
    /// of 2^32 + 1 read as pid 1; found by the fuzz test once Debug builds check arithmetic).
    /// </summary>
    [Theory]
    [InlineData(") S 4294967297 4242 ")]
    [InlineData(") S -1 4242 ")]
    [InlineData(" -1 4294967296 107 ")]
    public void RejectsParentPidOrFlagsWiderThanTheKernelPrints(string replacement) =>
        Assert.Throws<KernelDataException>(() => ProcStat.Parse(Sleep.Replace(
            replacement.StartsWith(") S") ? ") S 1 4242 " : " -1 4194304 107 ", replacement)));

    [Fact]
    public void StatusReadsKilobyteFieldsAndCapabilities()
    {
        var status = ProcStatus.Parse("Name:\tcat\nVmRSS:\t    1024 kB\nVmPTE:\t      48 kB\nThreads:\t3\nCapEff:\t000001ffffffffff\n");
        Assert.Equal("cat", status.Name);
        Assert.Equal(1024UL * 1024, status.ResidentBytes);
        Assert.Equal(48UL * 1024, status.PageTableBytes);
        Assert.Equal(3, status.Threads);
        Assert.Equal(0x1ffffffffffUL, status.EffectiveCapabilities);
        Assert.Null(status.Kilobytes("VmSwap"));
    }

    [Theory]
    [InlineData("202 0x7ffd1000 0x80 0x0 0x0 0x0 0x0 0x7ffc12345678 0x7f00000abcd0", 0x7ffc12345678UL)]
    [InlineData("-1 0x7ffc00001000 0x401000", 0x7ffc00001000UL)]
    [InlineData("running", null)]
    [InlineData(null, null)]
    public void SyscallFileGivesStackPointer(string? text, ulong? expected) =>
        Assert.Equal(expected, ProcessThreads.ParseSyscallStackPointer(text));
}
