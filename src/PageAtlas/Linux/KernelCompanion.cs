using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;
using PageAtlas.Linux.Interop;
using PageAtlas.Paging;

namespace PageAtlas.Linux;

/// <summary>
/// The kernel companion (kmod/, /dev/pageatlas): the kernel-side source of what user space cannot
/// see: each page table's physical address and raw entries along a walk, every table of a range,
/// and seed 002's kernel-allocated page mapped into this process. Root only (the device is 0600
/// and checks CAP_SYS_ADMIN). <see cref="TryOpen"/> finds it when loaded; without it PageAtlas shows
/// what user space can, and says how to get the rest (<see cref="HowToLoad"/>).
/// </summary>
public sealed unsafe class KernelCompanion : IDisposable
{
    /// <summary>The device the module creates.</summary>
    public const string DevicePath = "/dev/pageatlas";

    /// <summary>What to do to see the kernel's view.</summary>
    public const string HowToLoad =
        "load the PageAtlas kernel companion to see them: as root, make -C kmod && insmod kmod/pageatlas.ko (README: Kernel companion)";

    private readonly SafeFileHandle _device;

    private KernelCompanion(SafeFileHandle device, CompanionAbi.Info info)
    {
        _device = device;
        Levels = (int)info.Levels;
        UserAddressEnd = info.UserAddressEnd;
        PageTableIsolation = (info.Flags & CompanionAbi.InfoPti) != 0;
    }

    /// <summary>4 or 5: the paging the kernel runs.</summary>
    public int Levels { get; }

    /// <summary>One past the highest user address (TASK_SIZE_MAX).</summary>
    public ulong UserAddressEnd { get; }

    /// <summary>Page-table isolation: a process's user PGD entries also live in a second PGD page (the one user mode runs on); the walk reads the kernel's copy.</summary>
    public bool PageTableIsolation { get; }

    /// <summary>
    /// The companion, or null with the reason it cannot be used (not loaded, not root, another ABI
    /// version): callers then show the user-space view and say why.
    /// </summary>
    public static KernelCompanion? TryOpen(out string? unavailable)
    {
        unavailable = null;
        if (!File.Exists(DevicePath))
        {
            unavailable = $"the kernel companion is not loaded ({DevicePath} does not exist)";
            return null;
        }
        SafeFileHandle device;
        try
        {
            device = File.OpenHandle(DevicePath, FileMode.Open, FileAccess.ReadWrite);
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            unavailable = $"{DevicePath} cannot be opened ({e.Message}): the kernel companion serves root only";
            return null;
        }
        CompanionAbi.Info info;
        if (LibC.ioctl(device, CompanionAbi.IocInfo, &info) != 0)
        {
            int error = Marshal.GetLastPInvokeError();
            device.Dispose();
            unavailable = $"{DevicePath} refused PAGEATLAS_IOC_INFO ({Marshal.GetPInvokeErrorMessage(error)}): not the companion this PageAtlas knows";
            return null;
        }
        if (info.AbiVersion != CompanionAbi.Version)
        {
            device.Dispose();
            unavailable = $"the kernel companion speaks ABI version {info.AbiVersion}, this PageAtlas version {CompanionAbi.Version}: build both from one tree";
            return null;
        }
        return new KernelCompanion(device, info);
    }

    /// <summary>Maptest pages alive now (mapped by some process).</summary>
    public ulong MaptestPages
    {
        get
        {
            CompanionAbi.Info info;
            Call(CompanionAbi.IocInfo, &info, 0, "PAGEATLAS_IOC_INFO");
            return info.MaptestPages;
        }
    }

    /// <summary>The kernel's walk of <paramref name="address"/> in process <paramref name="pid"/>.</summary>
    public KernelWalk Walk(int pid, ulong address)
    {
        var walk = new CompanionAbi.Walk { AbiVersion = CompanionAbi.Version, Pid = pid, Address = address };
        Call(CompanionAbi.IocWalk, &walk, pid, $"the walk of 0x{address:x}");
        var steps = new List<KernelWalkStep>(5);
        for (int i = 0; i < 5; i++)
        {
            var level = walk.Level[i];
            if ((level.Flags & CompanionAbi.EntryRead) == 0) break;
            steps.Add(new KernelWalkStep((PageTableLevel)i, (int)level.Index, level.TablePhysical, level.EntryPhysical,
                new PageTableEntry(level.Entry), (level.Flags & CompanionAbi.EntryFolded) != 0));
        }
        return new KernelWalk((int)walk.Levels, (KernelWalkOutcome)walk.Outcome, (PageTableLevel)walk.StopLevel, walk.LeafSize, walk.Physical, steps);
    }

    /// <summary>Every page table under [<paramref name="start"/>, <paramref name="end"/>) of process <paramref name="pid"/>, added to <paramref name="into"/>.</summary>
    public void ReadTables(int pid, ulong start, ulong end, KernelPageTables into)
    {
        end = Math.Min(end, UserAddressEnd);
        if (start >= end) return;
        var request = new CompanionAbi.Tables { AbiVersion = CompanionAbi.Version, Pid = pid, Start = start, End = end };
        for (int attempt = 0; ; attempt++)
        {
            // Sized by the kernel's count; the process may grow tables between two calls, so retry.
            var records = new CompanionAbi.TableRecord[Math.Max(request.Count + 64, 64)];
            fixed (CompanionAbi.TableRecord* buffer = records)
            {
                request.Records = (ulong)buffer;
                request.Capacity = (uint)records.Length;
                int error = TryCall(CompanionAbi.IocTables, &request);
                if (error == 7 /* E2BIG: more than PAGEATLAS_TABLES_MAX records */ && end - start > 1UL << 21)
                {
                    ulong middle = start + ((end - start) / 2 & ~0x1f_ffffUL);
                    ReadTables(pid, start, middle, into);
                    ReadTables(pid, middle, end, into);
                    return;
                }
                if (error == 28 /* ENOSPC */ && attempt < 3) continue;
                if (error != 0) throw Failure(error, pid, "reading the page tables");
            }
            foreach (var record in records.AsSpan(0, (int)request.Count))
            {
                var level = (PageTableLevel)record.Level;
                if (record.Kind == CompanionAbi.RecordTable) into.AddTable(new KernelTable(level, record.Value, record.Address));
                else into.AddEntry(new KernelTableEntry((int)record.Index, record.Address, new PageTableEntry(record.Value)));
            }
            return;
        }
    }

    /// <summary>
    /// Maps one maptest page (seed 002, task 2) into this process: a page the module allocated and
    /// filled with its magic string, its own PFN and a pattern. Dispose the mapping to free it.
    /// </summary>
    public MaptestMapping MapTestPage()
    {
        nint address = LibC.mmap(0, 4096, LibC.PROT_READ | LibC.PROT_WRITE, LibC.MAP_SHARED, (int)_device.DangerousGetHandle(), 0);
        if (address == LibC.MAP_FAILED) throw Failure(Marshal.GetLastPInvokeError(), 0, "mapping the maptest page");
        return new MaptestMapping(address);
    }

    private int TryCall(ulong request, void* argument) =>
        LibC.ioctl(_device, request, argument) == 0 ? 0 : Marshal.GetLastPInvokeError();

    private void Call(ulong request, void* argument, int pid, string what)
    {
        int error = TryCall(request, argument);
        if (error != 0) throw Failure(error, pid, what);
    }

    /// <summary>The errno the ABI promises (kmod/pageatlas.h), as the failure PageAtlas reports.</summary>
    private static PageAtlasException Failure(int errno, int pid, string what) => errno switch
    {
        3 /* ESRCH */ => new TargetUnavailableException(pid, TargetUnavailableReason.NotFound, $"no process {pid} (the kernel companion, {what})"),
        6 /* ENXIO */ => new TargetUnavailableException(pid, TargetUnavailableReason.KernelThread,
            $"process {pid} has no user memory: a kernel thread, a zombie or exiting (the kernel companion, {what})"),
        34 /* ERANGE */ => new InvalidRequestException($"{what}: the address is above the user address space"),
        1 or 13 /* EPERM, EACCES */ => new PrivilegeRequiredException(DevicePath, $"{DevicePath}: {what} needs root (CAP_SYS_ADMIN)"),
        _ => new KernelDataException($"{DevicePath}: {what} failed: {Marshal.GetPInvokeErrorMessage(errno)}"),
    };

    /// <inheritdoc/>
    public void Dispose() => _device.Dispose();
}

/// <summary>A maptest page mapped into this process; disposing unmaps it (the module frees the page with its last mapping).</summary>
public sealed unsafe class MaptestMapping : IDisposable
{
    private nint _address;

    internal MaptestMapping(nint address) => _address = address;

    /// <summary>Where it is mapped.</summary>
    public ulong Address => (ulong)_address;

    /// <summary>The page's bytes, read through the mapping.</summary>
    public ReadOnlySpan<byte> Bytes => _address == 0 ? throw new ObjectDisposedException(nameof(MaptestMapping)) : new((void*)_address, 4096);

    /// <summary>The magic string at offset 0 (up to its NUL), escaped nowhere: callers render it.</summary>
    public string Magic
    {
        get
        {
            var bytes = Bytes[..(int)CompanionAbi.MaptestPfnOffset];
            int end = bytes.IndexOf((byte)0);
            return Encoding.ASCII.GetString(end < 0 ? bytes : bytes[..end]);
        }
    }

    /// <summary>The PFN the module wrote into the page.</summary>
    public ulong WrittenPfn => BitConverter.ToUInt64(Bytes.Slice((int)CompanionAbi.MaptestPfnOffset, 8));

    /// <summary>Whether the rest of the page holds the pattern (byte i = (i ^ pfn) &amp; 0xff).</summary>
    public bool PatternIntact
    {
        get
        {
            var bytes = Bytes;
            ulong pfn = WrittenPfn;
            for (int i = (int)CompanionAbi.MaptestFillOffset; i < bytes.Length; i++)
                if (bytes[i] != (byte)((ulong)i ^ pfn)) return false;
            return true;
        }
    }

    /// <summary>The magic string the module writes.</summary>
    public static string ExpectedMagic => CompanionAbi.MaptestMagic;

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_address != 0) LibC.munmap(_address, 4096);
        _address = 0;
    }
}
