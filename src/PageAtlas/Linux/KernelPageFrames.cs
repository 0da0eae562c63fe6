using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace PageAtlas.Linux;

/// <summary>
/// /proc/kpageflags and /proc/kpagecount: one 64-bit word per page frame, at offset PFN × 8.
/// Both need CAP_SYS_ADMIN (the files are mode 0400 root).
/// </summary>
public sealed class KernelPageFrames : IDisposable
{
    /// <summary>/proc/kpageflags</summary>
    public const string FlagsPath = "/proc/kpageflags";
    /// <summary>/proc/kpagecount</summary>
    public const string CountPath = "/proc/kpagecount";

    private readonly SafeFileHandle _flags;
    private readonly SafeFileHandle _counts;

    /// <summary>Opens both files.</summary>
    /// <exception cref="PrivilegeRequiredException">Either file cannot be opened.</exception>
    public KernelPageFrames()
    {
        _flags = ProcFs.OpenForRead(FlagsPath, 0);
        try
        {
            _counts = ProcFs.OpenForRead(CountPath, 0);
        }
        catch
        {
            _flags.Dispose();
            throw;
        }
    }

    /// <summary>Opens both files, or returns null with the reason when they cannot be opened.</summary>
    public static KernelPageFrames? TryOpen(out string? reason)
    {
        try
        {
            reason = null;
            return new KernelPageFrames();
        }
        catch (PrivilegeRequiredException e)
        {
            reason = e.Message;
            return null;
        }
    }

    /// <summary>Reads flags and map counts of the <paramref name="flags"/>.Length frames from <paramref name="firstPfn"/>.</summary>
    public void Read(ulong firstPfn, Span<ulong> flags, Span<ulong> counts)
    {
        ReadWords(_flags, FlagsPath, firstPfn, flags);
        ReadWords(_counts, CountPath, firstPfn, counts);
    }

    /// <summary>Reads the flags of consecutive frames.</summary>
    public void ReadFlags(ulong firstPfn, Span<ulong> flags) => ReadWords(_flags, FlagsPath, firstPfn, flags);

    /// <summary>Reads the map counts of consecutive frames.</summary>
    public void ReadCounts(ulong firstPfn, Span<ulong> counts) => ReadWords(_counts, CountPath, firstPfn, counts);

    private static void ReadWords(SafeFileHandle handle, string path, ulong firstPfn, Span<ulong> words)
    {
        var bytes = MemoryMarshal.AsBytes(words);
        long offset = (long)firstPfn * sizeof(ulong);
        int done = 0;
        while (done < bytes.Length)
        {
            int n = RandomAccess.Read(handle, bytes[done..], offset + done);
            if (n == 0)
            {
                // Past the last PFN the kernel knows: report no flags rather than inventing any.
                bytes[done..].Clear();
                return;
            }
            done += n;
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _flags.Dispose();
        _counts.Dispose();
    }
}
