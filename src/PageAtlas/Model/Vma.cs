using System.Globalization;
using System.Numerics;

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
    /// <remarks>
    /// Formatted by hand: the interpolated form's handler and format parsing were 6% of `pages` of
    /// 20,000 VMAs (ModelTests compares the two).
    /// </remarks>
    public bool TryWriteMapsLine(Span<char> destination, out int written)
    {
        written = 0;
        int suffix = IsDeleted ? " (deleted)".Length : 0;
        // Three addresses of up to 16 digits, two device numbers of up to 8, the inode's 20 and the separators.
        if (destination.Length < 16 * 3 + 8 * 2 + 20 + 10 + 4 + Path.Length + suffix) return false;
        int at = Hex(destination, Start, 8);
        destination[at++] = '-';
        at += Hex(destination[at..], End, 8);
        destination[at++] = ' ';
        Permissions.ToMapsString().CopyTo(destination[at..]);
        at += 4;
        destination[at++] = ' ';
        at += Hex(destination[at..], Offset, 8);
        destination[at++] = ' ';
        at += Hex(destination[at..], DeviceMajor, 2);
        destination[at++] = ':';
        at += Hex(destination[at..], DeviceMinor, 2);
        destination[at++] = ' ';
        Inode.TryFormat(destination[at..], out int digits, provider: CultureInfo.InvariantCulture);
        for (at += digits; digits < 10; digits++) destination[at++] = ' ';
        destination[at++] = ' ';
        Path.CopyTo(destination[at..]);
        at += Path.Length;
        if (IsDeleted)
        {
            " (deleted)".CopyTo(destination[at..]);
            at += suffix;
        }
        written = destination[..at].TrimEnd().Length;
        return true;
    }

    /// <summary><paramref name="value"/> in lower-case hex, at least <paramref name="width"/> digits (zero-padded), as "x8" formats it.</summary>
    private static int Hex(Span<char> destination, ulong value, int width)
    {
        int digits = Math.Max(width, (67 - BitOperations.LeadingZeroCount(value | 1)) / 4);
        for (int i = digits - 1; i >= 0; i--, value >>= 4) destination[i] = "0123456789abcdef"[(int)(value & 0xF)];
        return digits;
    }
}
