using PageAtlas.Model;

namespace PageAtlas.Linux;

/// <summary>
/// Gives each VMA its segment class from what the kernel and the ELF files say, never from name
/// patterns alone: start_code/start_brk/start_stack from /proc/&lt;pid&gt;/stat, the threads' stack
/// pointers, and each mapped ELF object's PT_LOAD headers, which split code, read-only data,
/// data (file-backed part of the writable segment) and bss (the zero-filled rest).
/// </summary>
public static class SegmentClassifier
{
    private const ulong PageMask = 4095;

    /// <summary>The facts classification needs besides the VMAs.</summary>
    /// <param name="Pid">The process (its main thread has this tid).</param>
    /// <param name="Facts">start_code, start_brk, start_stack…</param>
    /// <param name="Threads">Each thread's stack pointer.</param>
    /// <param name="ReadElf">The ELF headers of the object behind a file-backed VMA.</param>
    public sealed record Inputs(
        int Pid,
        ProcessFacts Facts,
        IReadOnlyList<ThreadStackPointer> Threads,
        Func<Vma, ElfHeaders> ReadElf);

    /// <summary>A mapped ELF object, with each PT_LOAD's address range in this process (load bias applied, page rounded).</summary>
    private sealed record ElfObject(string Name, bool IsMainExecutable, LoadedSegment[] Segments);

    private readonly record struct LoadedSegment(ulong Start, ulong End, ElfLoadSegment Load);

    /// <summary>A writable segment's range and the object it belongs to, for the bss look-up.</summary>
    private readonly record struct WritableRange(ulong Start, ulong End, ElfObject Owner);

    /// <summary>Classifies every VMA, in order.</summary>
    public static IReadOnlyList<ClassifiedVma> Classify(IReadOnlyList<Vma> vmas, Inputs inputs)
    {
        var classes = ClassesOf(vmas, inputs);
        var result = new ClassifiedVma[vmas.Count];
        for (int i = 0; i < vmas.Count; i++) result[i] = new ClassifiedVma(vmas[i], classes.Classes[i], classes.Notes[i]);
        return result;
    }

    /// <summary>The class of every VMA, in order, with notes.</summary>
    public static VmaClasses ClassesOf(IReadOnlyList<Vma> vmas, Inputs inputs)
    {
        var problems = new Dictionary<(ulong, ulong, string), string>();
        var objects = FindElfObjects(vmas, inputs, problems);
        // Every writable segment of every object, sorted, for the bss look-up of anonymous VMAs.
        var writable = objects.Values
            .SelectMany(o => o.Segments.Where(s => s.Load.IsWritable).Select(s => new WritableRange(s.Start, s.End, o)))
            .OrderBy(s => s.Start).ToArray();
        var threadStacks = new Dictionary<int, int>(); // vma index -> tid
        foreach (var thread in inputs.Threads)
        {
            if (thread.ThreadId == inputs.Pid || thread.StackPointer is not ulong sp) continue;
            int index = IndexOf(vmas, sp);
            if (index >= 0) threadStacks[index] = thread.ThreadId;
        }

        var result = new SegmentClass[vmas.Count];
        var notes = new string?[vmas.Count];
        for (int i = 0; i < vmas.Count; i++)
        {
            var vma = vmas[i];
            SegmentClass segment;
            if (threadStacks.TryGetValue(i, out int tid)) segment = new SegmentClass(SegmentKind.ThreadStack, null, tid);
            else if (IsMainStack(vma, inputs.Facts)) segment = new SegmentClass(SegmentKind.MainStack, null, inputs.Pid);
            else if (IsGuardBelowStack(vmas, i, threadStacks, inputs.Facts)) segment = new SegmentClass(SegmentKind.Guard);
            else segment = ClassifyOne(vma, inputs.Facts, objects, writable);
            result[i] = segment;
            // One bad file in one process is a note on its VMAs, never a failed command.
            if (vma.IsFileBacked && problems.TryGetValue(Key(vma), out string? problem))
                notes[i] = $"ELF headers not used: {problem}; shown as a plain file mapping";
        }
        return new VmaClasses(result, notes);
    }

    private static SegmentClass ClassifyOne(Vma vma, ProcessFacts stat, Dictionary<(ulong Dev, ulong Inode, string Path), ElfObject> objects, WritableRange[] writable)
    {
        if (vma.Path == "[heap]" || (!vma.IsFileBacked && stat.StartBrk != 0 && vma.Start == (stat.StartBrk + PageMask & ~PageMask)))
            return new SegmentClass(SegmentKind.Heap);
        switch (vma.Path)
        {
            case "[vdso]": return new SegmentClass(SegmentKind.Vdso);
            case "[vvar]" or "[vvar_vclock]": return new SegmentClass(SegmentKind.Vvar);
            case "[vsyscall]": return new SegmentClass(SegmentKind.Vsyscall);
        }
        if (vma.Path.StartsWith("[anon_shmem:", StringComparison.Ordinal)) return new SegmentClass(SegmentKind.SharedAnonymous, vma.Path);
        if (vma.Path.StartsWith("[anon:", StringComparison.Ordinal)) return AnonymousOrBss(vma, writable, vma.Path);
        if (vma.IsPseudoPath) return new SegmentClass(SegmentKind.Special, vma.Path);
        if (!vma.IsFileBacked) return AnonymousOrBss(vma, writable, null);

        if (vma.Path.StartsWith("/SYSV", StringComparison.Ordinal) && vma.IsDeleted) return new SegmentClass(SegmentKind.SysVShm, vma.Path);
        if (vma.Path.StartsWith("/dev/shm/", StringComparison.Ordinal)) return new SegmentClass(SegmentKind.PosixShm, vma.Path);
        if (vma.Path.StartsWith("/memfd:", StringComparison.Ordinal)) return new SegmentClass(SegmentKind.Memfd, vma.Path);
        if (vma.Path == "/dev/zero" && (vma.Permissions & VmaPermissions.Shared) != 0) return new SegmentClass(SegmentKind.SharedAnonymous);

        if (objects.TryGetValue(Key(vma), out var elf) && FindSegment(elf, vma.Start) is { } load)
        {
            bool main = elf.IsMainExecutable;
            if (load.IsExecutable) return new SegmentClass(main ? SegmentKind.Code : SegmentKind.LibraryCode, elf.Name);
            if (load.IsWritable && (vma.Permissions & VmaPermissions.Write) != 0)
                return new SegmentClass(main ? SegmentKind.Data : SegmentKind.LibraryData, elf.Name);
            // Read-only part of a file-backed ELF image, including RELRO (written once by the loader, then mprotected).
            return new SegmentClass(main ? SegmentKind.ReadOnlyData : SegmentKind.LibraryReadOnlyData, elf.Name);
        }
        return new SegmentClass(SegmentKind.FileMapping, vma.Path);
    }

    /// <summary>Anonymous memory inside an ELF object's writable PT_LOAD is its bss; anything else is a plain anonymous mapping.</summary>
    private static SegmentClass AnonymousOrBss(Vma vma, WritableRange[] writable, string? name)
    {
        int lo = 0, hi = writable.Length - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            if (vma.Start < writable[mid].Start) hi = mid - 1;
            else if (vma.Start >= writable[mid].End) lo = mid + 1;
            else
            {
                var elf = writable[mid].Owner;
                return new SegmentClass(elf.IsMainExecutable ? SegmentKind.Bss : SegmentKind.LibraryBss, elf.Name);
            }
        }
        return new SegmentClass(SegmentKind.AnonymousMapping, name);
    }

    private static ElfLoadSegment? FindSegment(ElfObject elf, ulong address)
    {
        foreach (var segment in elf.Segments)
            if (address >= segment.Start && address < segment.End) return segment.Load;
        return null;
    }

    private static Dictionary<(ulong, ulong, string), ElfObject> FindElfObjects(IReadOnlyList<Vma> vmas, Inputs inputs,
        Dictionary<(ulong, ulong, string), string> problems)
    {
        var objects = new Dictionary<(ulong, ulong, string), ElfObject>();
        var notElf = new HashSet<(ulong, ulong, string)>();
        // A loaded ELF object always has its code mapped executable. Files mapped otherwise are not
        // read: reading even their first page can change what is measured (a tmpfs page in swap
        // would be brought back in), and costs I/O for nothing.
        var executable = vmas.Where(v => v.IsFileBacked && (v.Permissions & VmaPermissions.Execute) != 0).Select(Key).ToHashSet();
        foreach (var vma in vmas)
        {
            if (!vma.IsFileBacked || vma.IsPseudoPath || (vma.Permissions & VmaPermissions.Shared) != 0) continue;
            var key = Key(vma);
            if (!executable.Contains(key)) continue;
            if (objects.ContainsKey(key) || notElf.Contains(key)) continue;
            var headers = inputs.ReadElf(vma);
            if (headers.Problem is { } problem) problems[key] = problem;
            var segments = headers.Segments;
            // The lowest mapping of an object is where its image begins: its file offset says which PT_LOAD it holds.
            var first = segments?.FirstOrDefault(s => vma.Offset >= (s.FileOffset & ~PageMask) && vma.Offset < s.FileOffset + Math.Max(s.FileSize, 1));
            if (segments is null || first is not { } load)
            {
                notElf.Add(key);
                continue;
            }
            ulong bias = vma.Start - ((load.VirtualAddress & ~PageMask) + (vma.Offset - (load.FileOffset & ~PageMask)));
            bool main = inputs.Facts.StartCode != 0 && ObjectContains(vmas, key, inputs.Facts.StartCode);
            var loaded = segments.Select(s => new LoadedSegment(
                bias + (s.VirtualAddress & ~PageMask), bias + (s.VirtualAddress + s.MemorySize + PageMask & ~PageMask), s)).ToArray();
            objects[key] = new ElfObject(Path.GetFileName(vma.Path), main, loaded);
        }
        return objects;
    }

    private static bool ObjectContains(IReadOnlyList<Vma> vmas, (ulong, ulong, string) key, ulong address)
    {
        foreach (var vma in vmas)
            if (vma.Contains(address)) return vma.IsFileBacked && Key(vma) == key;
        return false;
    }

    private static bool IsMainStack(Vma vma, ProcessFacts stat) =>
        vma.Path == "[stack]" || (stat.StartStack != 0 && vma.Contains(stat.StartStack) && !vma.IsFileBacked);

    /// <summary>An inaccessible anonymous page directly below a stack is its guard.</summary>
    private static bool IsGuardBelowStack(IReadOnlyList<Vma> vmas, int index, Dictionary<int, int> threadStacks, ProcessFacts stat)
    {
        var vma = vmas[index];
        if (vma.Permissions != VmaPermissions.None || vma.IsFileBacked || index + 1 >= vmas.Count) return false;
        var above = vmas[index + 1];
        return above.Start == vma.End && (threadStacks.ContainsKey(index + 1) || IsMainStack(above, stat));
    }

    private static int IndexOf(IReadOnlyList<Vma> vmas, ulong address)
    {
        int lo = 0, hi = vmas.Count - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            if (address < vmas[mid].Start) hi = mid - 1;
            else if (address >= vmas[mid].End) lo = mid + 1;
            else return mid;
        }
        return -1;
    }

    private static (ulong, ulong, string) Key(Vma vma) => ((ulong)vma.DeviceMajor << 32 | vma.DeviceMinor, vma.Inode, vma.Path);
}
