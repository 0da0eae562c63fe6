using PageAtlas.Linux;
using PageAtlas.Model;

namespace PageAtlas.Labs;

/// <summary>A file mapped by two processes is one set of page-cache frames, not two copies.</summary>
public sealed class FileMappingLab : ILab
{
    private const int Pages = 16;

    /// <inheritdoc/>
    public string Name => "file-mmap";

    /// <inheritdoc/>
    public string Title => "a file mapped by two processes is one set of page-cache frames";

    /// <inheritdoc/>
    public LabReport Run(LabCapture? capture = null)
    {
        var content = new byte[Pages * 4096];
        Random.Shared.NextBytes(content);
        // A random name, created (never opened) where other users can write; removed even when a signal ends the lab.
        using var file = InterruptCleanup.Track(() => WriteNew(content), File.Delete);
        string path = file.Value;
        try
        {
            using var first = SpecimenProcess.Start("sharer", "mapfile", path, Pages.ToString());
            using var second = SpecimenProcess.Start("sharer", "mapfile", path, Pages.ToString());
            using var a = LiveProcess.Open(first.Pid);
            using var b = LiveProcess.Open(second.Pid);
            ulong addressA = first["file"], addressB = second["file"];
            var pagesA = LabPages.Range(a, addressA, addressA + Pages * 4096UL);
            var pagesB = LabPages.Range(b, addressB, addressB + Pages * 4096UL);
            int same = pagesA.Zip(pagesB).Count(p => p.First.Entry.IsPresent && p.First.Entry.Pfn == p.Second.Entry.Pfn);
            bool pageCache = pagesA.All(p => (p.Flags & FrameFlags.Anonymous) == 0 && (p.Flags & (FrameFlags.Lru | FrameFlags.Mmap)) != 0);
            ulong minMapCount = pagesA.Min(p => p.MapCount);
            var vma = a.Vmas.Single(v => v.Vma.Contains(addressA));
            var verdicts = new List<LabVerdict>
            {
                new("both processes map the same frames, page for page", same == Pages,
                    $"{same} of {Pages} pages: pid {first.Pid} at {LabPages.Hex(addressA)} and pid {second.Pid} at {LabPages.Hex(addressB)} on the same PFN (first {LabPages.Hex(pagesA[0].Entry.Pfn)})")
                {
                    Links = [LabLink.Share("what the two processes share: the file's frames in common", first.Pid, second.Pid), LabLink.Page($"the file's first page in pid {first.Pid}", first.Pid, addressA)],
                },
                new("the frames are the file's page cache, mapped by both", pageCache && minMapCount >= 2,
                    $"flags of the first: {FrameFlagNames.ToLongNames(pagesA[0].Flags)}; lowest map count {minMapCount}; class {vma.Class}")
                {
                    Links = [LabLink.FrameOf("the first page's frame: its flags and both owners", pagesA[0].Entry.Pfn)],
                },
            };
            capture?.Invoke([first.Pid, second.Pid]);
            return new LabReport(Name, Title, "004", verdicts, []) { Subjects = [first.Pid, second.Pid] };
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static string WriteNew(byte[] content)
    {
        string path = Path.Combine(Path.GetTempPath(), $"pageatlas-lab-{Environment.ProcessId}-{Guid.NewGuid():N}.bin");
        using var stream = new FileStream(path, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write });
        stream.Write(content);
        return path;
    }
}
