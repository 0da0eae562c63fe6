namespace PageAtlas.Analysis;

/// <summary>
/// Which processes a list shows. A name pattern with '*' or '?' is a glob over the whole command
/// name ("python*", "?sh"); without them it is a substring ("ython" finds python3). Both compare
/// ordinally, case included, as the kernel keeps the name.
/// </summary>
/// <param name="NamePattern">Command-name pattern, or null for every name.</param>
/// <param name="Uid">Effective uid, or null for every user.</param>
public sealed record ProcessFilter(string? NamePattern = null, uint? Uid = null)
{
    /// <summary>Every process.</summary>
    public static readonly ProcessFilter All = new();

    /// <summary>Whether a process of <paramref name="command"/> and <paramref name="uid"/> is shown.</summary>
    public bool Matches(string command, uint uid) =>
        (Uid is null || Uid == uid) && (NamePattern is not { } pattern || MatchesName(pattern, command));

    private static bool MatchesName(string pattern, string name) =>
        pattern.AsSpan().IndexOfAny('*', '?') < 0 ? name.Contains(pattern, StringComparison.Ordinal) : Glob(pattern, name);

    /// <summary>'*' any run of characters, '?' one character, anything else itself; linear, with one backtrack point.</summary>
    private static bool Glob(ReadOnlySpan<char> pattern, ReadOnlySpan<char> name)
    {
        int p = 0, n = 0, star = -1, resume = 0;
        while (n < name.Length)
        {
            if (p < pattern.Length && (pattern[p] == '?' || pattern[p] == name[n])) { p++; n++; }
            else if (p < pattern.Length && pattern[p] == '*') { star = p++; resume = n; }
            else if (star >= 0) { p = star + 1; n = ++resume; }
            else return false;
        }
        while (p < pattern.Length && pattern[p] == '*') p++;
        return p == pattern.Length;
    }
}
