using System.Text;
using PageAtlas.Analysis;
using PageAtlas.Linux;
using PageAtlas.Model;

namespace PageAtlas.LiveTests;

/// <summary>Reading and writing another process (seed 002), checked against the specimen's own reading of its memory.</summary>
public class PeekPokeTests
{
    [SkippableFact]
    public void PeekReadsWhatTheSpecimenHolds()
    {
        using var specimen = Specimen.Start();
        using var target = LiveProcess.Open(specimen.Pid);
        using var memory = ProcessMemory.Open(specimen.Pid, writable: false);

        var data = MemoryPeek.Read(target, memory, specimen["data"], 22);
        Assert.Equal("PageAtlas data segment", Encoding.ASCII.GetString(data.Bytes));
        Assert.Equal(SegmentKind.Data, data.Pages.Single().Vma!.Class.Kind);
        Assert.Equal(0x22, MemoryPeek.Read(target, memory, specimen["sparse-present"], 1).Bytes[0]);
        // The heap block: the specimen wrote i at the start of each of its 8 pages' worth.
        var heap = MemoryPeek.Read(target, memory, specimen["heap"], 8 * 4096);
        for (int i = 0; i < 8; i++) Assert.Equal((byte)i, heap.Bytes[i * 4096]);
        Assert.Equal(specimen.Dump(specimen["heap"], 64), heap.Bytes[..64]);
        Assert.True(heap.Pages.Count >= 8);
    }

    [SkippableFact]
    public void PeekShowsAnUntouchedPageAsItWasBeforeTheRead()
    {
        using var specimen = Specimen.Start();
        using var target = LiveProcess.Open(specimen.Pid);
        using var memory = ProcessMemory.Open(specimen.Pid, writable: false);
        var peek = MemoryPeek.Read(target, memory, specimen["sparse-untouched"], 16);
        Assert.Equal(PageState.NotPopulated, peek.Pages.Single().State);
        Assert.All(peek.Bytes, b => Assert.Equal(0, b));
    }

    [SkippableFact]
    public void PokeChangesExactlyTheBytesAskedAndNoOthers()
    {
        using var specimen = Specimen.Start();
        using var target = LiveProcess.Open(specimen.Pid);
        using var memory = ProcessMemory.Open(specimen.Pid, writable: true);
        ulong at = specimen["data"] + 6;
        var around = specimen.Dump(at - 16, 48);

        var report = MemoryPoke.Write(target, memory, at, [0xde, 0xad, 0xbe, 0xef]);

        var now = specimen.Dump(at - 16, 48);
        var expected = (byte[])around.Clone();
        new byte[] { 0xde, 0xad, 0xbe, 0xef }.CopyTo(expected, 16);
        Assert.Equal(expected, now);
        Assert.Equal(around[16..20], report.Before);
        Assert.Equal(new byte[] { 0xde, 0xad, 0xbe, 0xef }, report.After);
        Assert.Empty(report.CopiedPages); // its own private page already: written in place
    }

    [SkippableFact]
    public void PokeOfAReadOnlyFilePageGivesTheProcessItsOwnCopy()
    {
        using var specimen = Specimen.Start();
        using var target = LiveProcess.Open(specimen.Pid);
        using var memory = ProcessMemory.Open(specimen.Pid, writable: true);
        // A byte of the executable's read-only data: never written by the specimen.
        var rodata = target.Vmas.First(v => v.Class.Kind == SegmentKind.ReadOnlyData).Vma;
        ulong at = rodata.Start + 0x10;
        byte original = specimen.Dump(at, 1)[0];
        byte value = (byte)(original ^ 0xff);

        var report = MemoryPoke.Write(target, memory, at, [value]);

        var before = report.PagesBefore.Single();
        var after = report.PagesAfter.Single();
        Assert.Equal(PageState.Present, after.State);
        Assert.NotEqual(before.Page.Entry.Pfn, after.Page.Entry.Pfn);
        Assert.True(before.Page.Entry.IsFileOrSharedAnon);
        Assert.False(after.Page.Entry.IsFileOrSharedAnon);
        Assert.True(after.Page.Flags.HasFlag(FrameFlags.Anonymous));
        Assert.Single(report.CopiedPages);
        Assert.Equal(value, specimen.Dump(at, 1)[0]);
        Assert.Equal("r--p", rodata.Permissions.ToMapsString());
    }

    [SkippableFact]
    public void RangeCrossingIntoUnmappedMemoryIsRefusedAndNothingIsWritten()
    {
        using var specimen = Specimen.Start();
        using var target = LiveProcess.Open(specimen.Pid);
        using var memory = ProcessMemory.Open(specimen.Pid, writable: true);
        var vmas = target.Vmas.Select(v => v.Vma).ToList();
        var beforeGap = vmas.Where((v, i) => i + 1 < vmas.Count && vmas[i + 1].Start > v.End && (v.Permissions & VmaPermissions.Write) != 0).First();
        ulong at = beforeGap.End - 2;
        var original = specimen.Dump(at, 2);

        var e = Assert.Throws<InvalidRequestException>(() => MemoryPoke.Write(target, memory, at, [1, 2, 3, 4]));
        Assert.Contains("crosses into unmapped memory", e.Message);
        Assert.Equal(original, specimen.Dump(at, 2));
        Assert.Throws<InvalidRequestException>(() => MemoryPeek.Read(target, memory, beforeGap.End, 1));
    }

    [SkippableFact]
    public void PokeAcrossAPageTheKernelWouldRefuseWritesNothing()
    {
        // A writable page, then a page of a file mapped shared from a read-only descriptor: even
        // /proc/<pid>/mem cannot write that one.
        using var specimen = Specimen.Start("--write-refused");
        ulong at = specimen["write-refused"] - 2;
        var around = specimen.Dump(at - 14, 32);

        var (code, _, err) = CliErrorTests.Run("poke", specimen.Pid.ToString(), $"0x{at:x}", "01020304", "--yes");

        Assert.Equal(7, code);
        Assert.Contains("nothing was written", err);
        Assert.Contains($"0x{specimen["write-refused"]:x}", err);
        Assert.Equal(around, specimen.Dump(at - 14, 32));

        using var target = LiveProcess.Open(specimen.Pid);
        using var memory = ProcessMemory.Open(specimen.Pid, writable: true);
        var e = Assert.Throws<MemoryAccessException>(() => MemoryPoke.Write(target, memory, at, [1, 2, 3, 4]));
        Assert.Equal(0, e.Done);
        Assert.Equal(around, specimen.Dump(at - 14, 32));
        // The writable page alone is written as before.
        MemoryPoke.Write(target, memory, at, [1, 2]);
        Assert.Equal(new byte[] { 1, 2 }, specimen.Dump(at, 2));
    }

    [SkippableFact]
    public void CliPokeNeedsYesAndWritesNothingWithoutIt()
    {
        using var specimen = Specimen.Start();
        ulong at = specimen["sparse-present"];
        var (code, _, err) = CliErrorTests.Run("poke", specimen.Pid.ToString(), $"0x{at:x}", "41");
        Assert.Equal(2, code);
        Assert.Contains("--yes", err);
        Assert.Equal(0x22, specimen.Dump(at, 1)[0]);

        var (ok, stdout, _) = CliErrorTests.Run("poke", specimen.Pid.ToString(), $"0x{at:x}", "--u16", "0x4142", "--yes");
        Assert.Equal(0, ok);
        Assert.Contains("after:", stdout);
        Assert.Equal(new byte[] { 0x42, 0x41 }, specimen.Dump(at, 2));

        var (self, _, selfErr) = CliErrorTests.Run("poke", "1", "0x1000", "41", "--yes");
        Assert.Equal(2, self);
        Assert.Contains("--force", selfErr);
    }

    [SkippableFact]
    public void CliPeekOfUnmappedAddressOrExitedProcessFails()
    {
        using var specimen = Specimen.Start();
        var (code, _, err) = CliErrorTests.Run("peek", specimen.Pid.ToString(), "0x1000");
        Assert.Equal(2, code);
        Assert.Contains("outside every VMA", err);
        int pid = specimen.Pid;
        specimen.Exit();
        var (gone, _, goneErr) = CliErrorTests.Run("peek", pid.ToString(), $"0x{specimen["data"]:x}");
        Assert.Equal(3, gone);
        Assert.Contains("no process", goneErr);
    }

    [SkippableFact]
    public void MtestAnswersSeed002Commands()
    {
        using var specimen = Specimen.Start();
        ulong data = specimen["data"];
        string input = $"r {specimen.Pid} {data:x}\nw {specimen.Pid} {data:x} 7a\nr {specimen.Pid} {data:x}\nr {specimen.Pid} 10\n";
        var (code, stdout, _) = CliErrorTests.RunWithInput(null, input, "mtest", "--yes");
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal($"r {specimen.Pid} {data:x} = 0x50", lines[0]);
        Assert.Equal($"w {specimen.Pid} {data:x} = 0x7a (was 0x50)", lines[1]);
        Assert.Equal($"r {specimen.Pid} {data:x} = 0x7a", lines[2]);
        Assert.StartsWith("error: ", lines[3]);
        Assert.Equal(2, code);
        Assert.Equal((byte)'z', specimen.Dump(data, 1)[0]);

        var (_, refused, _) = CliErrorTests.RunWithInput(null, $"w {specimen.Pid} {data:x} 41\n", "mtest");
        Assert.Contains("--yes", refused);
        Assert.Equal((byte)'z', specimen.Dump(data, 1)[0]);
    }

    /// <summary>The vsyscall page is in a VMA but in the kernel half: peek and poke say the kernel refused it (exit 7), never crash.</summary>
    [SkippableFact]
    public void PeekAndPokeOfTheVsyscallPageAreRefusedInOneLine()
    {
        using var specimen = Specimen.Start();
        using (var target = LiveProcess.Open(specimen.Pid))
            if (!target.Vmas.Any(v => v.Class.Kind == SegmentKind.Vsyscall)) throw new SkipException("this kernel maps no [vsyscall] page (vsyscall=none)");
        foreach (var args in new[] { ["peek", specimen.Pid.ToString(), "0xffffffffff600000", "16"], new[] { "poke", specimen.Pid.ToString(), "0xffffffffff600000", "00", "--yes" } })
        {
            var (code, _, err) = CliErrorTests.Run(args);
            Assert.True(code == 7, $"{args[0]}: exit {code}: {err}");
            Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.DoesNotContain("internal error", err);
        }
    }
}
