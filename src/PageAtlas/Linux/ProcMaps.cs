using System.Numerics;
using System.Runtime.InteropServices;
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
    public static List<Vma> Parse(string text, string source = "maps") => ParseLines<char>(text, source);

    /// <summary>
    /// Parses a whole maps file as the kernel wrote it, in bytes: the 1 MB maps of 20,000 VMAs is
    /// not decoded into a 2 MB string first, only each path is decoded (<see cref="KernelText.Decode"/>),
    /// and consecutive VMAs of one file share one string. The VMAs equal those of
    /// <see cref="Parse(string, string)"/> of the decoded text.
    /// </summary>
    public static List<Vma> Parse(ReadOnlySpan<byte> text, string source = "maps") => ParseLines(text, source);

    private static List<Vma> ParseLines<T>(ReadOnlySpan<T> all, string source) where T : unmanaged, IBinaryInteger<T>
    {
        var vmas = new List<Vma>();
        var paths = new PathCache<T>();
        int lineNumber = 0;
        ParseLines(all, source, vmas, ref paths, ref lineNumber);
        return vmas;
    }

    /// <summary>
    /// Whole lines parsed into <paramref name="vmas"/>, counted on from <paramref name="lineNumber"/>:
    /// the text may come in runs of whole lines (<see cref="Lines"/>), each ending in '\n' (the last
    /// of a file perhaps not), which end no line of their own.
    /// </summary>
    private static void ParseLines<T>(ReadOnlySpan<T> all, string source, List<Vma> vmas, ref PathCache<T> paths, ref int lineNumber)
        where T : unmanaged, IBinaryInteger<T>
    {
        var newline = T.CreateTruncating('\n');
        if (!all.IsEmpty && all[^1] == newline) all = all[..^1];
        if (all.IsEmpty) return;
        // Lines end in '\n' only: seq_path escapes a newline in a path, but a path may hold '\r',
        // U+0085 or U+2028, which EnumerateLines would take for line breaks too.
        foreach (var range in all.Split(newline))
        {
            var line = all[range];
            lineNumber++;
            if (line.IsEmpty) continue;
            vmas.Add(ParseLine(line, source, lineNumber, ref paths));
        }
    }

    /// <summary>
    /// A maps file parsed as it is read, run by run of whole lines (<see cref="ProcFs.ReadLines"/>):
    /// the VMAs equal <see cref="ProcMaps.Parse(ReadOnlySpan{byte}, string)"/>'s of the whole file.
    /// </summary>
    internal sealed class Lines(string source)
    {
        private PathCache<byte> _paths = new();
        private int _lineNumber;

        /// <summary>The VMAs parsed so far, in the file's order.</summary>
        public List<Vma> Vmas { get; } = [];

        /// <summary>Parses a run of whole lines.</summary>
        public void Parse(ReadOnlySpan<byte> lines) => ParseLines(lines, source, Vmas, ref _paths, ref _lineNumber);
    }

    /// <summary>Parses one maps line.</summary>
    public static Vma ParseLine(ReadOnlySpan<char> line, string source = "maps", int lineNumber = 1)
    {
        var paths = new PathCache<char>();
        return ParseLine(line, source, lineNumber, ref paths);
    }

    private static Vma ParseLine<T>(ReadOnlySpan<T> line, string source, int lineNumber, ref PathCache<T> paths)
        where T : unmanaged, IBinaryInteger<T>
    {
        var rest = line;
        ulong start = HexField(ref rest, '-', source, lineNumber, "start address");
        ulong end = HexField(ref rest, ' ', source, lineNumber, "end address");
        var perms = NextField(ref rest, source, lineNumber, "permissions");
        if (!IsPermissions(perms)) throw Malformed(source, lineNumber, "permissions like 'r-xp'");
        ulong offset = HexField(ref rest, ' ', source, lineNumber, "offset");
        var device = NextField(ref rest, source, lineNumber, "device");
        int colon = device.IndexOf(T.CreateTruncating(':'));
        if (colon < 0
            || !TryParseHex(device[..colon], out ulong major) || major > uint.MaxValue
            || !TryParseHex(device[(colon + 1)..], out ulong minor) || minor > uint.MaxValue)
            throw Malformed(source, lineNumber, "device like 'fe:00'");
        var space = T.CreateTruncating(' ');
        int gap = rest.IndexOf(space);
        var inodeText = gap < 0 ? rest : rest[..gap];
        if (!TryParseDecimal(inodeText, out ulong inode))
            throw Malformed(source, lineNumber, "decimal inode");
        var path = gap < 0 ? ReadOnlySpan<T>.Empty : rest[(gap + 1)..].TrimStart(space);
        bool deleted = EndsWithDeleted(path);
        if (deleted) path = path[..^DeletedSuffix.Length];
        if (end < start) throw Malformed(source, lineNumber, "end ≥ start");
        return new Vma(start, end, ParsePermissions(perms), offset, (uint)major, (uint)minor, inode, paths.Get(path), deleted);
    }

    private static bool EndsWithDeleted<T>(ReadOnlySpan<T> path) where T : unmanaged, IBinaryInteger<T>
    {
        if (path.Length < DeletedSuffix.Length) return false;
        var tail = path[^DeletedSuffix.Length..];
        for (int i = 0; i < tail.Length; i++)
            if (int.CreateTruncating(tail[i]) != DeletedSuffix[i]) return false;
        return true;
    }

    /// <summary>
    /// A path's string, unescaped (and decoded, from bytes); the previous line's string again when the
    /// path is the same (a file's VMAs are consecutive, and a library maps four or five of them).
    /// </summary>
    private struct PathCache<T>() where T : unmanaged, IBinaryInteger<T>
    {
        private T[] _last = [];
        private int _lastLength;
        private string _string = "";

        public string Get(ReadOnlySpan<T> path)
        {
            if (path.SequenceEqual(_last.AsSpan(0, _lastLength))) return _string;
            if (_last.Length < path.Length) _last = new T[Math.Max(path.Length, 2 * _last.Length)];
            path.CopyTo(_last);
            _lastLength = path.Length;
            _string = typeof(T) == typeof(char)
                ? Unescape(MemoryMarshal.Cast<T, char>(path))
                : Unescape(KernelText.Decode(MemoryMarshal.Cast<T, byte>(path)));
            return _string;
        }
    }

    /// <summary>
    /// Whether a field is four characters as show_map_vma writes them: r or -, w or -, x or -, s or p.
    /// Each one is checked, not only the length: a UTF-8 byte pair is one character as text but two
    /// bytes, so a length alone let the bytes and the text of one broken line be refused differently.
    /// </summary>
    private static bool IsPermissions<T>(ReadOnlySpan<T> p) where T : unmanaged, IBinaryInteger<T> =>
        p.Length == 4
        && int.CreateTruncating(p[0]) is 'r' or '-'
        && int.CreateTruncating(p[1]) is 'w' or '-'
        && int.CreateTruncating(p[2]) is 'x' or '-'
        && int.CreateTruncating(p[3]) is 's' or 'p';

    private static VmaPermissions ParsePermissions<T>(ReadOnlySpan<T> p) where T : unmanaged, IBinaryInteger<T>
    {
        var result = VmaPermissions.None;
        if (int.CreateTruncating(p[0]) == 'r') result |= VmaPermissions.Read;
        if (int.CreateTruncating(p[1]) == 'w') result |= VmaPermissions.Write;
        if (int.CreateTruncating(p[2]) == 'x') result |= VmaPermissions.Execute;
        if (int.CreateTruncating(p[3]) == 's') result |= VmaPermissions.Shared;
        return result;
    }

    /// <summary>seq_path escapes '\n' (and only the characters it is asked to) as a backslash and three octal digits.</summary>
    internal static string Unescape(ReadOnlySpan<char> path) => path.IndexOf('\\') < 0 ? path.ToString() : UnescapeSlow(path);

    /// <summary><see cref="Unescape(ReadOnlySpan{char})"/> of a string: the same string when there is nothing to unescape.</summary>
    private static string Unescape(string path) => path.Contains('\\') ? UnescapeSlow(path) : path;

    private static string UnescapeSlow(ReadOnlySpan<char> path)
    {
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
    private static bool TryParseHex<T>(ReadOnlySpan<T> digits, out ulong value) where T : unmanaged, IBinaryInteger<T>
    {
        value = 0;
        if (digits.IsEmpty || digits.Length > 16) return false;
        foreach (var t in digits)
        {
            int c = int.CreateTruncating(t);
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
    private static bool TryParseDecimal<T>(ReadOnlySpan<T> digits, out ulong value) where T : unmanaged, IBinaryInteger<T>
    {
        value = 0;
        if (digits.IsEmpty) return false;
        foreach (var t in digits)
        {
            // Below '0' wraps to a large number, refused with the rest (unchecked: the Debug build checks arithmetic).
            uint digit = unchecked((uint)(int.CreateTruncating(t) - '0'));
            if (digit > 9 || value > (ulong.MaxValue - digit) / 10) return false;
            value = value * 10 + digit;
        }
        return true;
    }

    private static ReadOnlySpan<T> NextField<T>(ref ReadOnlySpan<T> rest, string source, int lineNumber, string what)
        where T : unmanaged, IBinaryInteger<T>
    {
        int space = rest.IndexOf(T.CreateTruncating(' '));
        if (space <= 0) throw Malformed(source, lineNumber, what);
        var field = rest[..space];
        rest = rest[(space + 1)..];
        return field;
    }

    private static ulong HexField<T>(ref ReadOnlySpan<T> rest, char separator, string source, int lineNumber, string what)
        where T : unmanaged, IBinaryInteger<T>
    {
        int at = rest.IndexOf(T.CreateTruncating(separator));
        if (at <= 0 || !TryParseHex(rest[..at], out ulong value))
            throw Malformed(source, lineNumber, "hexadecimal " + what);
        rest = rest[(at + 1)..];
        return value;
    }

    private static KernelDataException Malformed(string source, int lineNumber, string expected) =>
        new($"{source}: line {lineNumber}: expected {expected}");
}
