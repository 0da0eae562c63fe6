using Microsoft.Win32.SafeHandles;
using PageAtlas.Linux;
using PageAtlas.Linux.Interop;

namespace PageAtlas.Output;

/// <summary>
/// Writes a file the user named (-o), safely as root in a directory other users can write. What the
/// path names decides how, looked at without following a final symbolic link:
/// <list type="bullet">
/// <item>nothing, or a regular file: the output is written in a <see cref="PrivateDirectory"/> beside
/// it, flushed to disk, given the old file's owner and permissions (a new file gets 0600: outputs
/// hold other processes' layouts and frames) and renamed over the name. The name holds the old file
/// or the complete new one, never a part, whatever fails or interrupts.</item>
/// <item>a character device or a FIFO: the output is written into it, opened without following a
/// link or creating anything (a FIFO waits for its reader, as a shell redirection does). It is
/// never replaced.</item>
/// <item>a symbolic link, directory, block device or socket: refused, left as it is.</item>
/// </list>
/// A failure of the file system (no space, read-only, permission) is a <see cref="FileAccessException"/>
/// naming the path.
/// </summary>
public static class OutputFile
{
    private const UnixFileMode NewFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    /// <summary>rwxrwxrwx: a replacement keeps these; set-id and sticky bits have no business on data.</summary>
    private const UnixFileMode PermissionBits = (UnixFileMode)0x1FF;
    private const int EPERM = 1;

    /// <summary>Has <paramref name="writeStaged"/> fill a new file by its path (as SQLite opens its own), then puts the output at <paramref name="path"/>.</summary>
    /// <returns>The bytes written.</returns>
    /// <exception cref="FileAccessException">The path cannot be written, or names something PageAtlas does not write.</exception>
    public static long Write(string path, Action<string> writeStaged)
    {
        var existing = Inspect(path);
        if (existing is { Kind: FileKind.CharacterDevice or FileKind.Fifo })
        {
            using var device = OpenDevice(path);
            return WriteStaged(device, writeStaged);
        }
        return Replace(path, existing, writeStaged);
    }

    /// <summary>Has <paramref name="write"/> write the output into a stream, put at <paramref name="path"/> as <see cref="Write(string, Action{string})"/> does.</summary>
    /// <exception cref="FileAccessException">The path cannot be written, or names something PageAtlas does not write.</exception>
    public static void Write(string path, Action<Stream> write)
    {
        var existing = Inspect(path);
        if (existing is { Kind: FileKind.CharacterDevice or FileKind.Fifo })
        {
            using var device = OpenDevice(path);
            write(device);
            return;
        }
        Replace(path, existing, staged =>
        {
            using var file = new WriteErrorStream(Guard(path, () => new FileStream(staged, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0)),
                e => Failure(path, e));
            write(file);
        });
    }

    /// <summary>
    /// Has <paramref name="writeStaged"/> fill a file in a private directory under the temporary
    /// directory, then copies it into <paramref name="destination"/> (standard output, a device): for
    /// writers that need a file of their own and a destination that is a stream.
    /// </summary>
    /// <returns>The bytes written.</returns>
    public static long WriteStaged(Stream destination, Action<string> writeStaged)
    {
        string temporary = Path.GetTempPath();
        using var staging = Guard(temporary, () => PrivateDirectory.Create(temporary));
        string staged = staging.FileNamed("output");
        writeStaged(staged);
        using var source = Guard(temporary, () => new FileStream(staged, FileMode.Open, FileAccess.Read, FileShare.None, bufferSize: 0));
        source.CopyTo(destination, 1 << 16);
        destination.Flush();
        return source.Length;
    }

    /// <summary>What <paramref name="path"/> names, null for nothing; throws unless it is something PageAtlas writes.</summary>
    private static FileStatus? Inspect(string path)
    {
        if (path.Length == 0) throw new InvalidRequestException("the output file name is empty");
        var status = Guard(path, () => FileStatus.OfPath(path));
        return status is null or { Kind: FileKind.Regular or FileKind.CharacterDevice or FileKind.Fifo } ? status : throw Refused(path, status.Value);
    }

    private static long Replace(string path, FileStatus? existing, Action<string> writeStaged)
    {
        string full = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(directory)) throw new FileAccessException(path, $"cannot write {path}: directory {directory} does not exist");
        using var staging = Guard(path, () => PrivateDirectory.Create(directory));
        string staged = staging.FileNamed(Path.GetFileName(full));
        writeStaged(staged);
        return Guard(path, () =>
        {
            long bytes = Seal(staged, existing);
            // The name may have been changed since it was looked at: still, never replace anything but a regular file.
            if (FileStatus.OfPath(full) is { Kind: not FileKind.Regular } now) throw Refused(path, now);
            File.Move(staged, full, overwrite: true);
            return bytes;
        });
    }

    /// <summary>Gives the staged file its owner and permissions and flushes it to disk; returns its length.</summary>
    private static long Seal(string staged, FileStatus? existing)
    {
        using var handle = File.OpenHandle(staged, FileMode.Open, FileAccess.ReadWrite);
        // Only root may give a file away: anyone else replaces it with a file of their own.
        if (existing is { } old && FileCalls.fchown(handle, old.Uid, old.Gid) != 0 && Errno() is var errno and not EPERM) throw FileStatus.Error(errno);
        if (FileCalls.fchmod(handle, (uint)(existing is { } kept ? kept.Permissions & PermissionBits : NewFileMode)) != 0) throw FileStatus.Error(Errno());
        long bytes = RandomAccess.GetLength(handle);
        using (var flush = new FileStream(handle, FileAccess.ReadWrite)) flush.Flush(flushToDisk: true);
        return bytes;
    }

    /// <summary>Opens a character device or FIFO for writing: no link followed, nothing created or truncated.</summary>
    private static WriteErrorStream OpenDevice(string path)
    {
        var handle = Guard(path, () =>
        {
            int fd = FileCalls.open(path, FileCalls.O_WRONLY | FileCalls.O_NOCTTY | FileCalls.O_NOFOLLOW | FileCalls.O_CLOEXEC, 0);
            if (fd >= 0) return new SafeFileHandle(fd, ownsHandle: true);
            int errno = Errno();
            throw errno == FileCalls.ELOOP ? Refused(path, new FileStatus(FileKind.SymbolicLink, 0, 0, 0)) : FileStatus.Error(errno);
        });
        var opened = Guard(path, () => FileStatus.Of(handle));
        if (opened.Kind is not (FileKind.CharacterDevice or FileKind.Fifo))
        {
            handle.Dispose();
            throw new FileAccessException(path, $"cannot write {path}: it changed while being opened (it is now {opened.KindName})");
        }
        return new WriteErrorStream(new FileStream(handle, FileAccess.Write, bufferSize: 0), e => Failure(path, e));
    }

    private static int Errno() => System.Runtime.InteropServices.Marshal.GetLastPInvokeError();

    private static FileAccessException Refused(string path, FileStatus status) => new(path, status.Kind == FileKind.SymbolicLink
        ? $"cannot write {path}: it is a symbolic link, which PageAtlas does not write through (name the file it points to)"
        : $"cannot write {path}: it is {status.KindName}; PageAtlas writes regular files, character devices and FIFOs");

    /// <summary>Runs a step of the file system's, turning its failure into one that names <paramref name="path"/>.</summary>
    private static T Guard<T>(string path, Func<T> step)
    {
        try
        {
            return step();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Failure(path, e);
        }
    }

    private static FileAccessException Failure(string path, Exception e) => new(path, $"cannot write {path}: {Reason(e)}", e);

    /// <summary>The system's words for the error: .NET's IOExceptions carry errno, their messages a path of their own.</summary>
    private static string Reason(Exception e) => e switch
    {
        UnauthorizedAccessException => "permission denied",
        IOException { HResult: > 0 and < 4096 } io => new System.ComponentModel.Win32Exception(io.HResult).Message,
        _ => e.Message,
    };
}
