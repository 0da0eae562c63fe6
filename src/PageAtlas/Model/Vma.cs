using System.Globalization;

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
        Span<char> line = Path.Length <= 128 ? stackalloc char[MapsLineRoom(128)] : new char[MapsLineRoom(Path.Length)];
        TryWriteMapsLine(line, out int written);
        return line[..written].ToString();
    }

    /// <summary>Room enough for <see cref="ToMapsLine"/> of a VMA whose path has <paramref name="pathLength"/> characters.</summary>
    public static int MapsLineRoom(int pathLength) => pathLength + 128;

    /// <summary>
    /// Writes <see cref="ToMapsLine"/>'s text into <paramref name="destination"/> without making a
    /// string (`pages` writes one per VMA); false when it is shorter than <see cref="MapsLineRoom"/>.
    /// </summary>
    public bool TryWriteMapsLine(Span<char> destination, out int written)
    {
        if (!destination.TryWrite(CultureInfo.InvariantCulture,
                $"{Start:x8}-{End:x8} {Permissions.ToMapsString()} {Offset:x8} {DeviceMajor:x2}:{DeviceMinor:x2} {Inode,-10} {Path}{(IsDeleted ? " (deleted)" : "")}",
                out written))
            return false;
        written = destination[..written].TrimEnd().Length;
        return true;
    }
}
