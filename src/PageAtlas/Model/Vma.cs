namespace PageAtlas.Model;

/// <summary>One line of /proc/&lt;pid&gt;/maps: a virtual memory area.</summary>
/// <param name="Start">First byte (page aligned).</param>
/// <param name="End">One past the last byte (page aligned).</param>
/// <param name="Permissions">rwx and shared/private.</param>
/// <param name="Offset">Offset in the file (or pgoff for anonymous memory).</param>
/// <param name="DeviceMajor">Major number of the file's device.</param>
/// <param name="DeviceMinor">Minor number of the file's device.</param>
/// <param name="Inode">Inode of the file; 0 for anonymous memory.</param>
/// <param name="Path">The path or pseudo-name ("[heap]", "[anon:name]"), unescaped, without " (deleted)"; empty when anonymous.</param>
/// <param name="IsDeleted">The kernel appended " (deleted)": the file was unlinked (System V shm and memfd always are).</param>
public sealed record Vma(
    ulong Start,
    ulong End,
    VmaPermissions Permissions,
    ulong Offset,
    uint DeviceMajor,
    uint DeviceMinor,
    ulong Inode,
    string Path,
    bool IsDeleted)
{
    /// <summary>Virtual size in bytes.</summary>
    public ulong Size => End - Start;

    /// <summary>True when <paramref name="address"/> lies in [Start, End).</summary>
    public bool Contains(ulong address) => address >= Start && address < End;

    /// <summary>
    /// Backed by a file, including shm and memfd: it has a path. The inode alone does not say so:
    /// a System V segment's inode is its shmid, and the first segment's id is 0.
    /// </summary>
    public bool IsFileBacked => Inode != 0 || Path.StartsWith('/');

    /// <summary>"[heap]", "[stack]", "[vdso]"… or "[anon:name]".</summary>
    public bool IsPseudoPath => Path.StartsWith('[');

    /// <summary>The device column as the kernel prints it ("fe:00").</summary>
    public string Device => $"{DeviceMajor:x2}:{DeviceMinor:x2}";

    /// <summary>
    /// The line as /proc/&lt;pid&gt;/maps prints it, with the path as it is (a newline in it is not
    /// written back as "\012"): text output escapes every control character for the terminal.
    /// </summary>
    public string ToMapsLine()
    {
        string path = IsDeleted ? Path + " (deleted)" : Path;
        return $"{Start:x8}-{End:x8} {Permissions.ToMapsString()} {Offset:x8} {Device} {Inode,-10} {path}".TrimEnd();
    }
}
