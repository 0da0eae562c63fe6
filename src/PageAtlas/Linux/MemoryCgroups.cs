using System.Buffers.Binary;
using Microsoft.Win32.SafeHandles;
using PageAtlas.Linux.Interop;

namespace PageAtlas.Linux;

/// <summary>
/// /proc/kpagecgroup: for each frame, the inode number of the memory cgroup it is charged to (0 when
/// none). The cgroup is named by finding the directory with that inode under /sys/fs/cgroup.
/// </summary>
public static class MemoryCgroups
{
    /// <summary>/proc/kpagecgroup</summary>
    public const string Path = "/proc/kpagecgroup";
    private const string Root = "/sys/fs/cgroup";

    /// <summary>The memory cgroup inode of <paramref name="pfn"/>, or null when the kernel has no kpagecgroup.</summary>
    /// <exception cref="PrivilegeRequiredException">The file is refused.</exception>
    public static ulong? InodeOf(ulong pfn)
    {
        if (!File.Exists(Path)) return null;
        using SafeFileHandle file = ProcFs.OpenForRead(Path, 0);
        Span<byte> word = stackalloc byte[8];
        return RandomAccess.Read(file, word, (long)pfn * 8) == 8 ? BinaryPrimitives.ReadUInt64LittleEndian(word) : 0;
    }

    /// <summary>The cgroup directory (relative to /sys/fs/cgroup, "/" for the root) whose inode is <paramref name="inode"/>, or null.</summary>
    public static string? PathOf(ulong inode)
    {
        if (inode == 0 || !Directory.Exists(Root)) return null;
        var pending = new Stack<string>();
        pending.Push(Root);
        while (pending.Count > 0)
        {
            string directory = pending.Pop();
            if (InodeOfPath(directory) == inode)
                return directory == Root ? "/" : directory[Root.Length..];
            try
            {
                foreach (var child in Directory.EnumerateDirectories(directory)) pending.Push(child);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // A cgroup removed while we look: skip it.
            }
        }
        return null;
    }

    private static unsafe ulong InodeOfPath(string path)
    {
        byte* buffer = stackalloc byte[LibC.StatSize];
        return LibC.stat(path, buffer) == 0 ? *(ulong*)(buffer + LibC.StatInodeOffset) : 0;
    }
}
