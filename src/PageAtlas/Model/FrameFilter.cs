using System.Globalization;

namespace PageAtlas.Model;

/// <summary>
/// A frame filter in page-types' <c>-b</c> syntax, so that users can carry expressions over:
/// <list type="bullet">
/// <item><c>anon,lru</c> — any of the named flags is set;</item>
/// <item><c>anon,~lru</c> — once a name is negated, every named flag must match: anon set and lru clear;</item>
/// <item><c>=anon,mmap</c> — exactly these flags and no other.</item>
/// </list>
/// Several expressions (separated by ';' or given one by one) must all match. Names are page-types'
/// (<see cref="FrameFlagNames"/>); a hexadecimal mask (0x…) stands for its bits.
/// </summary>
public sealed class FrameFilter
{
    private const ulong AllBits = ulong.MaxValue;
    private readonly (ulong Mask, ulong Bits)[] _terms;

    private FrameFilter(string text, (ulong Mask, ulong Bits)[] terms)
    {
        Text = text;
        _terms = terms;
    }

    /// <summary>Accepts every frame.</summary>
    public static readonly FrameFilter All = new("", []);

    /// <summary>The expression as given.</summary>
    public string Text { get; }

    /// <summary>Whether the filter accepts every frame.</summary>
    public bool IsAll => _terms.Length == 0;

    /// <summary>Parses one or more expressions.</summary>
    /// <exception cref="InvalidRequestException">An unknown flag name, or an empty expression.</exception>
    public static FrameFilter Parse(IEnumerable<string> expressions)
    {
        var all = expressions.SelectMany(e => e.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToArray();
        return all.Length == 0 ? All : new FrameFilter(string.Join(';', all), all.Select(ParseTerm).ToArray());
    }

    /// <summary>Whether a frame with <paramref name="flags"/> passes.</summary>
    public bool Matches(ulong flags)
    {
        foreach (var (mask, bits) in _terms)
        {
            if (bits == AllBits ? (flags & mask) == 0 : (flags & mask) != bits) return false;
        }
        return true;
    }

    private static (ulong Mask, ulong Bits) ParseTerm(string term)
    {
        if (term.StartsWith('='))
        {
            return (AllBits, Names(term[1..], negated: false));
        }
        if (term.Contains('~'))
        {
            ulong set = Names(term, negated: false), cleared = Names(term, negated: true);
            return (set | cleared, set);
        }
        return (Names(term, negated: false), AllBits);
    }

    /// <summary>The bits of the names in <paramref name="list"/> that are (or are not) negated with '~'.</summary>
    private static ulong Names(string list, bool negated)
    {
        ulong bits = 0;
        foreach (var raw in list.Split(',', StringSplitOptions.TrimEntries))
        {
            if (raw.Length == 0) throw new InvalidRequestException($"empty flag name in '{list}'");
            bool isNegated = raw.StartsWith('~');
            string name = isNegated ? raw[1..] : raw;
            if (isNegated != negated) continue;
            if (name.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
                && ulong.TryParse(name.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out ulong mask))
            {
                bits |= mask;
                continue;
            }
            bits |= (ulong)(FrameFlagNames.Parse(name)
                ?? throw new InvalidRequestException($"unknown frame flag '{name}' (page-types names: anonymous, lru, slab, buddy, thp…)"));
        }
        return bits;
    }
}
