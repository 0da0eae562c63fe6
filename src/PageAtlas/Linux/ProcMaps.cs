using System.Globalization;
using System.Text;
using PageAtlas.Model;

namespace PageAtlas.Linux;

/// <summary>
/// Parser for /proc/&lt;pid&gt;/maps (fs/proc/task_mmu.c, show_map_vma):
/// <code>
/// 7f3c2a000000-7f3c2a021000 rw-p 00000000 00:00 0                          [anon:name]
/// start-end                 perm offset   dev   inode                      path
/// </code>
/// The path starts after the inode and the padding; it may contain spaces, ends in
/// " (deleted)" for unlinked files, and has '\n' escaped as "\012" by seq_path.
/// </summary>
public static class ProcMaps
{
    private const string DeletedSuffix = " (deleted)";

    /// <summary>Parses a whole maps file. <paramref name="source"/> names the file in errors.</summary>
    public static List<Vma> Parse(string text, string source = "maps")
    {
        var vmas = new List<Vma>();
        int lineNumber = 0;
        // Lines end in '\n' only: seq_path escapes a newline in a path, but a path may hold '\r',
        // U+0085 or U+2028, which EnumerateLines would take for line breaks too.
        var all = text.AsSpan();
        foreach (var range in all.Split('\n'))
        {
            var line = all[range];
            lineNumber++;
            if (line.IsEmpty) continue;
            vmas.Add(ParseLine(line, source, lineNumber));
        }
        return vmas;
    }

    /// <summary>Parses one maps line.</summary>
    public static Vma ParseLine(ReadOnlySpan<char> line, string source = "maps", int lineNumber = 1)
    {
        var rest = line;
        ulong start = HexField(ref rest, '-', source, lineNumber, "start address");
        ulong end = HexField(ref rest, ' ', source, lineNumber, "end address");
        var perms = NextField(ref rest, source, lineNumber, "permissions");
        if (perms.Length != 4) throw Malformed(source, lineNumber, "permissions like 'r-xp'");
        ulong offset = HexField(ref rest, ' ', source, lineNumber, "offset");
        var device = NextField(ref rest, source, lineNumber, "device");
        int colon = device.IndexOf(':');
        if (colon < 0
            || !TryParseHex(device[..colon], out ulong major) || major > uint.MaxValue
            || !TryParseHex(device[(colon + 1)..], out ulong minor) || minor > uint.MaxValue)
            throw Malformed(source, lineNumber, "device like 'fe:00'");
        int space = rest.IndexOf(' ');
        var inodeText = space < 0 ? rest : rest[..space];
        if (!TryParseDecimal(inodeText, out ulong inode))
            throw Malformed(source, lineNumber, "decimal inode");
        var path = space < 0 ? ReadOnlySpan<char>.Empty : rest[(space + 1)..].TrimStart(' ');
        bool deleted = path.EndsWith(DeletedSuffix, StringComparison.Ordinal);
        if (deleted) path = path[..^DeletedSuffix.Length];
        if (end < start) throw Malformed(source, lineNumber, "end ≥ start");
        return new Vma(start, end, ParsePermissions(perms), offset, (uint)major, (uint)minor, inode, Unescape(path), deleted);
    }

    private static VmaPermissions ParsePermissions(ReadOnlySpan<char> p)
    {
        var result = VmaPermissions.None;
        if (p[0] == 'r') result |= VmaPermissions.Read;
        if (p[1] == 'w') result |= VmaPermissions.Write;
        if (p[2] == 'x') result |= VmaPermissions.Execute;
        if (p[3] == 's') result |= VmaPermissions.Shared;
        return result;
    }

    /// <summary>seq_path escapes '\n' (and only the characters it is asked to) as a backslash and three octal digits.</summary>
    internal static string Unescape(ReadOnlySpan<char> path)
    {
        if (path.IndexOf('\\') < 0) return path.ToString();
        var text = new StringBuilder(path.Length);
        for (int i = 0; i < path.Length; i++)
        {
            if (path[i] == '\\' && i + 3 < path.Length && IsOctal(path[i + 1]) && IsOctal(path[i + 2]) && IsOctal(path[i + 3]))
            {
                text.Append((char)((path[i + 1] - '0') * 64 + (path[i + 2] - '0') * 8 + (path[i + 3] - '0')));
                i += 3;
            }
            else text.Append(path[i]);
        }
        return text.ToString();
    }

    private static bool IsOctal(char c) => c is >= '0' and <= '7';

    // Hand-written digit loops: maps of a large process have tens of thousands of lines, and the
    // general number parser's style handling costs more than the digits themselves.
    private static bool TryParseHex(ReadOnlySpan<char> digits, out ulong value)
    {
        value = 0;
        if (digits.IsEmpty || digits.Length > 16) return false;
        foreach (char c in digits)
        {
            int digit = c switch
            {
                >= '0' and <= '9' => c - '0',
                >= 'a' and <= 'f' => c - 'a' + 10,
                >= 'A' and <= 'F' => c - 'A' + 10,
                _ => -1,
            };
            if (digit < 0) return false;
            value = value << 4 | (uint)digit;
        }
        return true;
    }

    /// <summary>
    /// An inode is an unsigned long (show_map_vma prints it with %lu): any 64-bit number, 20 digits
    /// included (a FUSE file system picks its own). Digits only; more than 64 bits is refused.
    /// </summary>
    private static bool TryParseDecimal(ReadOnlySpan<char> digits, out ulong value) =>
        ulong.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out value);

    private static ReadOnlySpan<char> NextField(ref ReadOnlySpan<char> rest, string source, int lineNumber, string what)
    {
        int space = rest.IndexOf(' ');
        if (space <= 0) throw Malformed(source, lineNumber, what);
        var field = rest[..space];
        rest = rest[(space + 1)..];
        return field;
    }

    private static ulong HexField(ref ReadOnlySpan<char> rest, char separator, string source, int lineNumber, string what)
    {
        int at = rest.IndexOf(separator);
        if (at <= 0 || !TryParseHex(rest[..at], out ulong value))
            throw Malformed(source, lineNumber, "hexadecimal " + what);
        rest = rest[(at + 1)..];
        return value;
    }

    private static KernelDataException Malformed(string source, int lineNumber, string expected) =>
        new($"{source}: line {lineNumber}: expected {expected}");
}
