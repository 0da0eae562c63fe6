using PageAtlas.Linux;
using PageAtlas.Model;

namespace PageAtlas.Tests;

public class ProcMapsTests
{
    [Theory]
    [InlineData("55d1c8a00000-55d1c8a02000 r--p 00000000 fe:00 247629                     /usr/bin/cat", 0x55d1c8a00000UL, 0x55d1c8a02000UL, "r--p", 247629UL, "/usr/bin/cat", false)]
    [InlineData("7f0000000000-7f0000001000 rw-s 00000000 00:01 32768                      /SYSV0000abcd (deleted)", 0x7f0000000000UL, 0x7f0000001000UL, "rw-s", 32768UL, "/SYSV0000abcd", true)]
    [InlineData("7f0000000000-7f0000001000 rw-p 00001000 fe:00 12                         /tmp/my file with spaces", 0x7f0000000000UL, 0x7f0000001000UL, "rw-p", 12UL, "/tmp/my file with spaces", false)]
    [InlineData("7f0000000000-7f0000001000 rw-p 00000000 00:00 0                          [anon:dotnet-gc heap]", 0x7f0000000000UL, 0x7f0000001000UL, "rw-p", 0UL, "[anon:dotnet-gc heap]", false)]
    [InlineData("7f0000000000-7f0000001000 ---p 00000000 00:00 0 ", 0x7f0000000000UL, 0x7f0000001000UL, "---p", 0UL, "", false)]
    [InlineData("7f0000000000-7f0000001000 r-xp 00000000 00:00 0", 0x7f0000000000UL, 0x7f0000001000UL, "r-xp", 0UL, "", false)]
    [InlineData("ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0                  [vsyscall]", 0xffffffffff600000UL, 0xffffffffff601000UL, "--xp", 0UL, "[vsyscall]", false)]
    [InlineData("7f0000000000-7f0000001000 rw-s 00000000 00:01 5                          /memfd:my (deleted) (deleted)", 0x7f0000000000UL, 0x7f0000001000UL, "rw-s", 5UL, "/memfd:my (deleted)", true)]
    public void ParsesRealLines(string line, ulong start, ulong end, string perms, ulong inode, string path, bool deleted)
    {
        var vma = ProcMaps.ParseLine(line);
        Assert.Equal(start, vma.Start);
        Assert.Equal(end, vma.End);
        Assert.Equal(perms, vma.Permissions.ToMapsString());
        Assert.Equal(inode, vma.Inode);
        Assert.Equal(path, vma.Path);
        Assert.Equal(deleted, vma.IsDeleted);
    }

    [Fact]
    public void UnescapesNewlineInPath()
    {
        var vma = ProcMaps.ParseLine(@"7f0000000000-7f0000001000 r--p 00000000 fe:00 9 /tmp/a\012b");
        Assert.Equal("/tmp/a\nb", vma.Path);
    }

    [Fact]
    public void ReadsDeviceAndOffset()
    {
        var vma = ProcMaps.ParseLine("7f0000000000-7f0000003000 r-xp 0001a000 08:1f 77 /lib/x.so");
        Assert.Equal(0x1a000UL, vma.Offset);
        Assert.Equal(8u, vma.DeviceMajor);
        Assert.Equal(0x1fu, vma.DeviceMinor);
        Assert.Equal(0x3000UL, vma.Size);
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("7f0000000000-zz r--p 00000000 fe:00 9 /x")]
    [InlineData("7f0000000000-7f0000001000 r--p 00000000 fe00 9 /x")]
    [InlineData("7f0000000000-7f0000001000 rw 00000000 fe:00 9 /x")]
    [InlineData("7f0000001000-7f0000000000 r--p 00000000 fe:00 9 /x")]
    public void RejectsMalformedLinesNamingFileAndLine(string line)
    {
        var e = Assert.Throws<KernelDataException>(() => ProcMaps.Parse("7f0000000000-7f0000001000 r--p 00000000 fe:00 9 /ok\n" + line, "/proc/1/maps"));
        Assert.StartsWith("/proc/1/maps: line 2: expected", e.Message);
    }

    [Fact]
    public void SystemVSegmentWithShmidZeroIsStillFileBacked()
    {
        var vma = ProcMaps.ParseLine("7f6862fa2000-7f6862fa3000 rw-s 00000000 00:01 0                          /SYSV00000000 (deleted)");
        Assert.Equal(0UL, vma.Inode);
        Assert.True(vma.IsFileBacked);
        Assert.False(ProcMaps.ParseLine("7f0000000000-7f0000001000 rw-p 00000000 00:00 0 ").IsFileBacked);
        Assert.False(ProcMaps.ParseLine("7f0000000000-7f0000001000 rw-p 00000000 00:00 0    [heap]").IsFileBacked);
    }
}
