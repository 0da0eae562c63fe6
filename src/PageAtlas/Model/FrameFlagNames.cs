using System.Text;

namespace PageAtlas.Model;

/// <summary>
/// The names and one-letter codes the kernel's tools/mm/page-types.c uses for each
/// <see cref="FrameFlags"/> bit, so PageAtlas output can be matched against page-types.
/// </summary>
public static class FrameFlagNames
{
    private static readonly (int Bit, string Name, char Letter)[] s_table =
    [
        (0, "locked", 'L'), (1, "error", 'E'), (2, "referenced", 'R'), (3, "uptodate", 'U'),
        (4, "dirty", 'D'), (5, "lru", 'l'), (6, "active", 'A'), (7, "slab", 'S'),
        (8, "writeback", 'W'), (9, "reclaim", 'I'), (10, "buddy", 'B'), (11, "mmap", 'M'),
        (12, "anonymous", 'a'), (13, "swapcache", 's'), (14, "swapbacked", 'b'),
        (15, "compound_head", 'H'), (16, "compound_tail", 'T'), (17, "huge", 'G'),
        (18, "unevictable", 'u'), (19, "hwpoison", 'X'), (20, "nopage", 'n'), (21, "ksm", 'x'),
        (22, "thp", 't'), (23, "offline", 'o'), (24, "zero_page", 'z'), (25, "idle_page", 'i'),
        (26, "pgtable", 'g'),
        (32, "reserved", 'r'), (33, "mlocked", 'm'), (34, "mappedtodisk", 'd'), (35, "private", 'P'),
        (36, "private_2", 'p'), (37, "owner_private", 'O'), (38, "arch", 'h'), (39, "uncached", 'c'),
        (40, "softdirty", 'f'), (41, "arch_2", 'H'),
    ];

    /// <summary>
    /// page-types' long form: set flag names joined by commas ("referenced,uptodate,lru"). Like
    /// page-types, bit 34 of an anonymous page is named anon_exclusive (the kernel reuses
    /// PG_mappedtodisk for it).
    /// </summary>
    public static string ToLongNames(FrameFlags flags)
    {
        var text = new StringBuilder();
        foreach (var (bit, name, _) in s_table)
        {
            if (((ulong)flags & (1UL << bit)) == 0) continue;
            if (text.Length > 0) text.Append(',');
            text.Append(bit == 34 && (flags & FrameFlags.Anonymous) != 0 ? "anon_exclusive" : name);
        }
        return text.ToString();
    }

    /// <summary>page-types' short form: one letter per set flag, '_' for an unset one, bits 0–26 then the raw bits that are set.</summary>
    public static string ToLetters(FrameFlags flags)
    {
        var text = new StringBuilder(40);
        foreach (var (bit, _, letter) in s_table)
        {
            bool set = ((ulong)flags & (1UL << bit)) != 0;
            if (bit >= 32 && !set) continue;
            text.Append(set ? letter : '_');
        }
        return text.ToString();
    }

    /// <summary>
    /// The flag named as page-types names it, or null. Like page-types, a prefix names the first flag,
    /// in bit order, that starts with it ("anon" is anonymous, "comp" compound_head).
    /// </summary>
    public static FrameFlags? Parse(string name)
    {
        if (name.Length == 0) return null;
        foreach (var (bit, n, _) in s_table)
            if (string.Equals(n, name, StringComparison.OrdinalIgnoreCase)) return (FrameFlags)(1UL << bit);
        foreach (var (bit, n, _) in s_table)
            if (n.StartsWith(name, StringComparison.OrdinalIgnoreCase)) return (FrameFlags)(1UL << bit);
        return null;
    }

    /// <summary>page-types' name of one bit, or null for a bit it does not name.</summary>
    public static string? NameOf(int bit) => s_table.FirstOrDefault(t => t.Bit == bit).Name;
}
