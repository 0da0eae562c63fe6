using System.Buffers.Binary;
using PageAtlas.Linux;
using PageAtlas.Model;

namespace PageAtlas.Tests;

public class ModelTests
{
    /// <summary>
    /// A VMA's maps line is written into a span (pages writes one per VMA without a string): it reads
    /// back as /proc/PID/maps prints it, padding, "(deleted)" and paths longer than the stack buffer included.
    /// </summary>
    [Theory]
    [InlineData("7f3c2a000000-7f3c2a021000 rw-p 00000000 00:00 0                          ", "7f3c2a000000-7f3c2a021000 rw-p 00000000 00:00 0")]
    [InlineData("55d1c8a00000-55d1c8a21000 r-xp 0002f000 fe:01 1234567                    /usr/bin/bash", "55d1c8a00000-55d1c8a21000 r-xp 0002f000 fe:01 1234567    /usr/bin/bash")]
    [InlineData("1000-2000 rw-s 00001000 00:05 42 /dev/shm/x (deleted)", "00001000-00002000 rw-s 00001000 00:05 42         /dev/shm/x (deleted)")]
    public void MapsLineIsTheKernelsLine(string maps, string expected)
    {
        Assert.Equal(expected, ProcMaps.ParseLine(maps).ToMapsLine());
        string longPath = "/" + new string('p', 300);
        var vma = ProcMaps.ParseLine(maps) with { Path = longPath, IsDeleted = true };
        Assert.StartsWith(expected[..expected.IndexOf(" 0", StringComparison.Ordinal)], vma.ToMapsLine(), StringComparison.Ordinal);
        Assert.EndsWith(longPath + " (deleted)", vma.ToMapsLine(), StringComparison.Ordinal);
        Assert.False(vma.TryWriteMapsLine(new char[Vma.MapsLineRoom(longPath.Length) - 100], out _));
    }

    /// <summary>The maps line formatted by hand reads as the interpolated format it replaced, for any field values.</summary>
    [FsCheck.Xunit.Property(MaxTest = 500)]
    public void MapsLineIsTheInterpolatedLine(ulong start, ulong end, byte permissions, ulong offset, uint major, uint minor, ulong inode, bool deleted, int pathKind)
    {
        string path = (Math.Abs(pathKind % 4)) switch { 0 => "", 1 => "/usr/lib/libc.so.6", 2 => "[heap]", _ => "/tmp/trailing  " };
        var vma = new Vma(start, end, (VmaPermissions)(permissions & 15), offset, major, minor, inode, path, deleted);
        string expected = System.FormattableString.Invariant(
            $"{start:x8}-{end:x8} {vma.Permissions.ToMapsString()} {offset:x8} {major:x2}:{minor:x2} {inode,-10} {path}{(deleted ? " (deleted)" : "")}").TrimEnd();
        Assert.Equal(expected, vma.ToMapsLine());
    }

    [Fact]
    public void PagemapEntryDecodesPresentPage()
    {
        var e = new PagemapEntry(PagemapEntry.PresentBit | PagemapEntry.ExclusiveBit | PagemapEntry.SoftDirtyBit | 0x12345);
        Assert.True(e.IsPresent);
        Assert.Equal(0x12345UL, e.Pfn);
        Assert.True(e.IsExclusive && e.IsSoftDirty && !e.IsFileOrSharedAnon && !e.IsSwapped);
    }

    [Fact]
    public void PagemapEntryDecodesSwapEntry()
    {
        var e = new PagemapEntry(PagemapEntry.SwappedBit | (0xabcdUL << 5) | 3);
        Assert.False(e.IsPresent);
        Assert.Equal(0UL, e.Pfn);
        Assert.Equal(3u, e.SwapType);
        Assert.Equal(0xabcdUL, e.SwapOffset);
        Assert.True(e.IsPopulated);
    }

    [Fact]
    public void FrameFlagsUsePageTypesNamesAndLetters()
    {
        var flags = FrameFlags.Uptodate | FrameFlags.Lru | FrameFlags.Mmap | FrameFlags.Anonymous | FrameFlags.SwapBacked;
        Assert.Equal("uptodate,lru,mmap,anonymous,swapbacked", FrameFlagNames.ToLongNames(flags));
        Assert.Equal("___U_l_____Ma_b____________", FrameFlagNames.ToLetters(flags));
        Assert.Equal("anonymous,anon_exclusive", FrameFlagNames.ToLongNames(FrameFlags.Anonymous | FrameFlags.MappedToDisk));
        Assert.Equal("mappedtodisk", FrameFlagNames.ToLongNames(FrameFlags.MappedToDisk));
        Assert.Equal(FrameFlags.Thp, FrameFlagNames.Parse("thp"));
        Assert.Equal(FrameFlags.PageTable, FrameFlagNames.Parse("pgtable"));
    }

    [Theory]
    [InlineData("0x7f0000001000", 0x7f0000001000UL, 0x7f0000001001UL)]
    [InlineData("7f0000001000..7f0000003000", 0x7f0000001000UL, 0x7f0000003000UL)]
    [InlineData("0x1000+4096", 0x1000UL, 0x2000UL)]
    [InlineData("0x1000+0x2000", 0x1000UL, 0x3000UL)]
    [InlineData("0x1000+2M", 0x1000UL, 0x201000UL)]
    public void AddressRangesParse(string text, ulong start, ulong end) =>
        Assert.Equal(new AddressRange(start, end), AddressRange.Parse(text));

    [Theory]
    [InlineData("zz")]
    [InlineData("")]
    [InlineData("0x")]
    [InlineData("0x2000..0x1000")]
    [InlineData("0x1000+0")]
    [InlineData("0x1000+abc")]
    [InlineData("0x10000000000000000")]
    [InlineData("0xffffffffffffffff+2")]
    [InlineData("0xffffffffffffffff")]
    public void BadAddressesAreRejected(string text) =>
        Assert.Throws<InvalidRequestException>(() => AddressRange.Parse(text));

    [Fact]
    public void ElfHeadersGiveLoadSegments()
    {
        var image = new byte[64 + 2 * 56];
        image[0] = 0x7f; image[1] = (byte)'E'; image[2] = (byte)'L'; image[3] = (byte)'F'; image[4] = 2; image[5] = 1;
        BinaryPrimitives.WriteUInt64LittleEndian(image.AsSpan(0x20), 64);
        BinaryPrimitives.WriteUInt16LittleEndian(image.AsSpan(0x36), 56);
        BinaryPrimitives.WriteUInt16LittleEndian(image.AsSpan(0x38), 2);
        WritePhdr(image.AsSpan(64), type: 1, flags: 5, offset: 0x1000, vaddr: 0x1000, filesz: 0x500, memsz: 0x500);
        WritePhdr(image.AsSpan(120), type: 1, flags: 6, offset: 0x2df0, vaddr: 0x3df0, filesz: 0x220, memsz: 0x5000);
        var segments = ElfProgramHeaders.Parse(image, fileSize: 0x4000).Segments!;
        Assert.Equal(2, segments.Count);
        Assert.True(segments[0].IsExecutable && !segments[0].IsWritable);
        Assert.True(segments[1].IsWritable);
        Assert.Equal(0x5000UL, segments[1].MemorySize);
        Assert.Equal(ElfHeaders.NotElf, ElfProgramHeaders.Parse(new byte[64], 64));
    }

    internal static void WritePhdr(Span<byte> h, uint type, uint flags, ulong offset, ulong vaddr, ulong filesz, ulong memsz)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(h, type);
        BinaryPrimitives.WriteUInt32LittleEndian(h[4..], flags);
        BinaryPrimitives.WriteUInt64LittleEndian(h[8..], offset);
        BinaryPrimitives.WriteUInt64LittleEndian(h[16..], vaddr);
        BinaryPrimitives.WriteUInt64LittleEndian(h[32..], filesz);
        BinaryPrimitives.WriteUInt64LittleEndian(h[40..], memsz);
    }

    [Theory]
    [InlineData(SegmentKind.FileMapping, "/var/log/app.log", "file app.log")]
    [InlineData(SegmentKind.PosixShm, "/dev/shm/ring", "posix-shm ring")]
    [InlineData(SegmentKind.Memfd, "/memfd:jit-code", "memfd memfd:jit-code")]
    [InlineData(SegmentKind.LibraryCode, "libc.so.6", "lib-code libc.so.6")]
    [InlineData(SegmentKind.Heap, null, "heap")]
    public void ClassesNameTheirObject(SegmentKind kind, string? owner, string shown) =>
        Assert.Equal(shown, new SegmentClass(kind, owner).ToString());
}
