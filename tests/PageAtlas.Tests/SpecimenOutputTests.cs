using PageAtlas.Labs;

namespace PageAtlas.Tests;

/// <summary>The lines specimens/*.c print before "ready", as <see cref="SpecimenOutput"/> reads them.</summary>
public sealed class SpecimenOutputTests
{
    private static SpecimenOutput Read(params string[] lines)
    {
        var output = new SpecimenOutput();
        foreach (var line in lines) output.Add(line);
        return output;
    }

    [Fact]
    public void FactLinesGiveAddressAndValueAndANumberAloneIsAtAddressZero()
    {
        var output = Read("heap 0x5566aa000 8", "child 0x0 4242", "file 0x7f0000001000 16", "mapping 0x7f0000002000");

        Assert.Equal((0x5566aa000UL, 8L), output.Facts["heap"]);
        Assert.Equal((0UL, 4242L), output.Facts["child"]);
        Assert.Equal((0x7f0000001000UL, 16L), output.Facts["file"]);
        Assert.Equal((0x7f0000002000UL, 0L), output.Facts["mapping"]);
    }

    [Fact]
    public void LinesThatAreNoFactsAreKeptAsLinesOnly()
    {
        // sharer.c's "sysv ID 0xADDR" and "posix NAME 0xADDR"; layout's "pid N"; a name that is no address.
        string[] lines = ["pid 17", "sysv 5 0x7f0000003000", "posix /pageatlas-sharer-17 0x7f0000004000", "odd 0xzz 1"];
        var output = Read(lines);

        Assert.Empty(output.Facts);
        Assert.Empty(output.Threads);
        Assert.Equal(lines, output.Lines);
    }

    [Fact]
    public void ThreadLinesAreThreadsNotFacts()
    {
        var output = Read("thread 1 tid 902 stack 0x7fac6355eeb8 tls 0x7fac6355f6b8", "thread 0 tid 901 stack 0x7fac63d5feb8 tls 0x7fac63d606b8");

        Assert.Equal([new SpecimenThread(1, 902, 0x7fac6355eeb8, 0x7fac6355f6b8), new SpecimenThread(0, 901, 0x7fac63d5feb8, 0x7fac63d606b8)], output.Threads);
        Assert.Empty(output.Facts);
    }
}
