namespace PageAtlas.Model;

/// <summary>The permission column of /proc/&lt;pid&gt;/maps: rwx and shared (s) or private (p).</summary>
[Flags]
public enum VmaPermissions : byte
{
    /// <summary>No access (a guard or reserved range).</summary>
    None = 0,
    /// <summary>r</summary>
    Read = 1,
    /// <summary>w</summary>
    Write = 2,
    /// <summary>x</summary>
    Execute = 4,
    /// <summary>s: MAP_SHARED; absent means private (copy-on-write).</summary>
    Shared = 8,
}

/// <summary>Formatting of <see cref="VmaPermissions"/> the way the kernel prints it.</summary>
public static class VmaPermissionsText
{
    // The sixteen texts, made once: a listing asks for one per VMA, and there can be tens of thousands.
    private static readonly string[] s_texts = Enumerable.Range(0, 16).Select(i => Spell((VmaPermissions)i)).ToArray();

    /// <summary>"r-xp", "rw-s", …</summary>
    public static string ToMapsString(this VmaPermissions p) => s_texts[(int)p & 15];

    private static string Spell(VmaPermissions p) => string.Create(4, p, static (span, v) =>
    {
        span[0] = (v & VmaPermissions.Read) != 0 ? 'r' : '-';
        span[1] = (v & VmaPermissions.Write) != 0 ? 'w' : '-';
        span[2] = (v & VmaPermissions.Execute) != 0 ? 'x' : '-';
        span[3] = (v & VmaPermissions.Shared) != 0 ? 's' : 'p';
    });
}
