using System.Buffers.Binary;
using PageAtlas.Analysis;
using PageAtlas.Linux;
using PageAtlas.Model;

namespace PageAtlas.Labs;

/// <summary>
/// Seed 004's side look at threads: each thread runs on a stack of its own with a guard page below
/// it, and a <c>__thread</c> variable has one copy per thread, in memory of that thread's own.
/// </summary>
public sealed class ThreadsLab : ILab
{
    private const int Threads = 3;

    /// <inheritdoc/>
    public string Name => "threads";

    /// <inheritdoc/>
    public string Title => "each thread's stack and its guard page, and a __thread variable per thread";

    /// <inheritdoc/>
    public LabReport Run(LabCapture? capture = null)
    {
        using var specimen = SpecimenProcess.Start("layout", "--threads", Threads.ToString());
        using var target = LiveProcess.Open(specimen.Pid);
        using var memory = ProcessMemory.Open(specimen.Pid, writable: false);
        var verdicts = new List<LabVerdict>();
        var observations = new List<string>();
        var threads = specimen.Threads.OrderBy(t => t.Index).ToArray();

        var stackVmas = threads.Select(t => target.Vmas.SingleOrDefault(v => v.Vma.Contains(t.Stack))).ToArray();
        bool stacksOwn = threads.Length == Threads && stackVmas.Zip(threads).All(p => p.First is { } v && v.Class.Kind == SegmentKind.ThreadStack && v.Class.ThreadId == p.Second.Tid)
            && stackVmas.Select(v => v!.Vma.Start).Distinct().Count() == Threads;
        var addressSpace = LabLink.AddressSpace("the address space: each thread's stack and the guard below it", specimen.Pid);
        verdicts.Add(new LabVerdict("each thread runs on a stack of its own", stacksOwn,
            string.Join("; ", threads.Zip(stackVmas).Select(p => $"thread {p.First.Index} (tid {p.First.Tid}): a local at {LabPages.Hex(p.First.Stack)} in {p.Second?.ToString() ?? "no VMA"}")))
        { Links = [addressSpace] });

        var guards = stackVmas.Select(v => v is null ? null : target.Vmas.SingleOrDefault(g => g.Vma.End == v.Vma.Start)).ToArray();
        bool guarded = guards.All(g => g is { } v && v.Class.Kind == SegmentKind.Guard && v.Vma.Permissions == VmaPermissions.None);
        verdicts.Add(new LabVerdict("a guard page with no access lies right below each thread's stack", guarded,
            string.Join("; ", guards.Select((g, i) => $"thread {i}: {(g is null ? "nothing adjacent" : $"{g.Vma.ToMapsLine().Split(' ')[0]} {g.Vma.Permissions.ToMapsString()} ({g.Class}, {g.Vma.Size / 1024} KiB)")}")))
        { Links = [addressSpace] });

        var values = threads.Select(t => BinaryPrimitives.ReadInt64LittleEndian(MemoryPeek.Read(target, memory, t.Tls, 8).Bytes)).ToArray();
        var tlsPages = threads.Select(t => LabPages.At(target, t.Tls)).ToArray();
        bool perThread = threads.Select(t => t.Tls).Distinct().Count() == Threads
            && tlsPages.Select(p => p.Entry.Pfn).Distinct().Count() == Threads
            && values.Select((v, i) => v == 1000 + threads[i].Index).All(ok => ok);
        verdicts.Add(new LabVerdict("a __thread variable has one copy per thread, each in a different frame", perThread,
            string.Join("; ", threads.Select((t, i) => $"thread {t.Index}: &specimen_tls = {LabPages.Hex(t.Tls)} -> PFN {LabPages.Hex(tlsPages[i].Entry.Pfn)}, value {values[i]} (the thread stored {1000 + t.Index})")))
        { Links = [.. threads.Select(t => LabLink.Page($"thread {t.Index}'s copy of specimen_tls", specimen.Pid, t.Tls))] });
        capture?.Invoke([specimen.Pid]);

        ulong mainTls = specimen["tls-main"];
        var mainVma = target.Vmas.Single(v => v.Vma.Contains(mainTls));
        observations.Add($"the main thread's copy is at {LabPages.Hex(mainTls)} in {mainVma} (set up by the dynamic loader), each other thread's copy at the top of its own stack mapping");
        return new LabReport(Name, Title, "004", verdicts, observations) { Subjects = [specimen.Pid] };
    }
}
