using FsCheck.Fluent;
using PageAtlas.Linux;

namespace PageAtlas.Tests.Fuzz;

/// <summary>
/// The ELF reader on files other users wrote: on any bytes, and on real ELF headers with a few bytes
/// changed, it never throws (an index outside the image would), and every segment it returns lies
/// within the file and within user space, with no more file bytes than memory bytes.
/// </summary>
public class ElfFuzzTests
{
    /// <summary>The first 64 KiB of a real ELF executable, this process's own, and its size.</summary>
    private static readonly (byte[] Image, ulong Size) s_real = ReadRealImage();
    private static byte[] RealImage => s_real.Image;

    private static (byte[], ulong) ReadRealImage()
    {
        using var file = File.OpenRead("/proc/self/exe");
        var image = new byte[Math.Min(file.Length, ElfProgramHeaders.MaxHeaderBytes)];
        file.ReadExactly(image);
        return (image, (ulong)file.Length);
    }

    /// <summary>The file sizes a reader may be told: the image's own, or anything, including less than the image.</summary>
    private static readonly FsCheck.Gen<ulong> s_fileSizes = Gen.Frequency(
        (2, Gen.Constant(ulong.MaxValue)), (3, Gen.Choose(0, 1 << 20).Select(n => (ulong)n)),
        (1, Gen.Choose(0, int.MaxValue).Select(n => (ulong)n << 33)));

    private static void AssertSound(ElfHeaders headers, ulong fileSize)
    {
        Assert.True(headers.Segments is null || headers.Problem is null);
        foreach (var s in headers.Segments ?? [])
        {
            Assert.True(s.FileSize <= s.MemorySize);
            Assert.True(s.FileOffset <= fileSize && s.FileSize <= fileSize - s.FileOffset);
            Assert.True(s.VirtualAddress < 1UL << 56 && s.MemorySize <= (1UL << 56) - s.VirtualAddress);
        }
    }

    [Fact]
    public void TheRealImageParses()
    {
        var headers = ElfProgramHeaders.Parse(RealImage, s_real.Size);
        Assert.Null(headers.Problem);
        Assert.Contains(headers.Segments!, s => s.IsExecutable);
    }

    [Fact]
    public void AnyBytesNeverThrowAndGiveOnlySoundSegments() =>
        Fuzzing.Check(Gen.Zip(Fuzzing.Bytes, s_fileSizes), input =>
        {
            var (bytes, claimed) = input;
            // Half the time, make the bytes look like a 64-bit ELF so that the header fields are reached.
            if (bytes.Length >= 6 && bytes[0] % 2 == 0) "\u007FELF\u0002\u0001"u8.CopyTo(bytes);
            ulong fileSize = Math.Max(claimed, (ulong)bytes.Length);
            AssertSound(ElfProgramHeaders.Parse(bytes, fileSize), fileSize);
        });

    /// <summary>Values at the edges, where bounds checks wrap or slip by one.</summary>
    private static FsCheck.Gen<ulong> Edgy(params ulong[] edges) => Gen.Frequency(
        (3, Gen.Elements(edges)),
        (1, Gen.Choose(0, int.MaxValue).Select(n => (ulong)n)),
        (1, Gen.Choose(1, 1 << 20).Select(n => unchecked(0UL - (ulong)n))));

    [Fact]
    public void HeadersWithEdgeFieldsNeverThrowAndGiveOnlySoundSegments() =>
        Fuzzing.Check(
            from phoff in Edgy(0, 0x40, 0x1000, 0xFFFFFFFFFFFFFFC0, 0x7FFFFFFF, 0x80000000, 131_071)
            from phentsize in Edgy(0, 1, 55, 56, 57, 0x7FFF, 0xFFFF)
            from phnum in Edgy(0, 1, 2, 0x7FFF, 0xFFFE, 0xFFFF)
            from load in Gen.ArrayOf(Edgy(0, 1, 0xFFF, 0x1000, 1UL << 47, 1UL << 56, ulong.MaxValue), 4)
            from length in Gen.Elements(64, 120, 176, 4096)
            select (phoff, unchecked((ushort)phentsize), unchecked((ushort)phnum), load, length),
            input =>
            {
                var (phoff, phentsize, phnum, load, length) = input;
                var image = ElfProgramHeadersTests.Header(phoff, phnum, phentsize, length);
                if (length >= 120) ModelTests.WritePhdr(image.AsSpan(64), type: 1, flags: 6, load[0], load[1], load[2], load[3]);
                AssertSound(ElfProgramHeaders.Parse(image, (ulong)length), (ulong)length);
            });

    [Fact]
    public void MutatedRealHeadersNeverThrowAndGiveOnlySoundSegments() =>
        Fuzzing.Check(Gen.Zip(Fuzzing.Mutations(RealImage, hot: 0x40 + 56 * 16), s_fileSizes), input =>
        {
            var (image, claimed) = input;
            ulong fileSize = Math.Max(claimed, (ulong)image.Length);
            AssertSound(ElfProgramHeaders.Parse(image, fileSize), fileSize);
            // The reader told a file is shorter than what it was handed must not trust the rest.
            AssertSound(ElfProgramHeaders.Parse(image, claimed), claimed);
        });

    [Fact]
    public void ReadingAMutatedFileNeverThrows()
    {
        var directory = Directory.CreateTempSubdirectory("pageatlas-elf-fuzz");
        string path = Path.Combine(directory.FullName, "object");
        try
        {
            Fuzzing.Check(Fuzzing.Mutations(RealImage[..8192], hot: 0x40 + 56 * 16), image =>
            {
                File.WriteAllBytes(path, image);
                using var file = File.OpenHandle(path);
                AssertSound(ElfProgramHeaders.Read(file, (ulong)image.Length), (ulong)image.Length);
            });
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
