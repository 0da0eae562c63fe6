using System.ComponentModel;
using Microsoft.Win32.SafeHandles;
using PageAtlas.Linux.Interop;

namespace PageAtlas.Linux;

/// <summary>The kinds of file a path can name (the S_IFMT bits of st_mode).</summary>
internal enum FileKind
{
    Regular,
    Directory,
    CharacterDevice,
    BlockDevice,
    Fifo,
    SymbolicLink,
    Socket,
}

/// <summary>
/// What a path names, read with statx without following a final symbolic link (as lstat does), or
/// what an open file is: its kind, permission bits, owner and size.
/// </summary>
/// <param name="Kind">Regular file, directory, device, FIFO, symbolic link or socket.</param>
/// <param name="Permissions">The permission bits (07777).</param>
/// <param name="Uid">Owner.</param>
/// <param name="Gid">Group.</param>
/// <param name="Size">Bytes (of a regular file).</param>
internal readonly record struct FileStatus(FileKind Kind, UnixFileMode Permissions, uint Uid, uint Gid, ulong Size = 0)
{
    private const uint Wanted = FileCalls.STATX_TYPE | FileCalls.STATX_MODE | FileCalls.STATX_UID | FileCalls.STATX_GID | FileCalls.STATX_SIZE;

    /// <summary>What <paramref name="path"/> names, or null when nothing does.</summary>
    /// <exception cref="IOException">The path cannot be looked up (a component is not a directory, permission).</exception>
    public static unsafe FileStatus? OfPath(string path)
    {
        FileCalls.Statx buffer;
        if (FileCalls.statx(FileCalls.AT_FDCWD, path, FileCalls.AT_SYMLINK_NOFOLLOW, Wanted, &buffer) == 0) return From(buffer);
        int errno = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
        return errno == FileCalls.ENOENT ? null : throw Error(errno);
    }

    /// <summary>What the open file <paramref name="file"/> is.</summary>
    public static unsafe FileStatus Of(SafeFileHandle file)
    {
        FileCalls.Statx buffer;
        return FileCalls.statx(file, "", FileCalls.AT_EMPTY_PATH, Wanted, &buffer) == 0
            ? From(buffer)
            : throw Error(System.Runtime.InteropServices.Marshal.GetLastPInvokeError());
    }

    /// <summary>An IOException carrying the system's words for <paramref name="errno"/> and the number itself (as .NET's own do).</summary>
    internal static IOException Error(int errno) => new(new Win32Exception(errno).Message, errno);

    /// <summary>"a symbolic link", "a directory"...: for messages.</summary>
    public string KindName => Kind switch
    {
        FileKind.Regular => "a regular file",
        FileKind.Directory => "a directory",
        FileKind.CharacterDevice => "a character device",
        FileKind.BlockDevice => "a block device",
        FileKind.Fifo => "a FIFO",
        FileKind.SymbolicLink => "a symbolic link",
        _ => "a socket",
    };

    private static FileStatus From(FileCalls.Statx buffer)
    {
        // S_IFMT and its values: include/uapi/linux/stat.h.
        var kind = (buffer.Mode & 0xF000) switch
        {
            0x8000 => FileKind.Regular,
            0x4000 => FileKind.Directory,
            0x2000 => FileKind.CharacterDevice,
            0x6000 => FileKind.BlockDevice,
            0x1000 => FileKind.Fifo,
            0xA000 => FileKind.SymbolicLink,
            _ => FileKind.Socket,
        };
        return new FileStatus(kind, (UnixFileMode)(buffer.Mode & 0xFFF), buffer.Uid, buffer.Gid, buffer.Size);
    }
}
