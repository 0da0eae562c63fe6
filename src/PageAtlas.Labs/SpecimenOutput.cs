using System.Globalization;

namespace PageAtlas.Labs;

/// <summary>One thread a specimen started: "thread I tid T stack 0xS tls 0xL" (specimens/layout.c).</summary>
/// <param name="Index">Its place among the threads the specimen started, from 0.</param>
/// <param name="Tid">Its thread id.</param>
/// <param name="Stack">The address of a local variable on its stack.</param>
/// <param name="Tls">The address of its copy of a __thread variable.</param>
public sealed record SpecimenThread(int Index, int Tid, ulong Stack, ulong Tls);

/// <summary>
/// What a specimen printed before "ready", read once: every line as printed; the fact lines
/// ("name 0xADDRESS [value]"; a fact that is only a number is printed at address 0x0) by name; and
/// the thread lines.
/// </summary>
internal sealed class SpecimenOutput
{
    private readonly List<string> _lines = [];
    private readonly Dictionary<string, (ulong Address, long Value)> _facts = [];
    private readonly List<SpecimenThread> _threads = [];

    public IReadOnlyList<string> Lines => _lines;

    public IReadOnlyDictionary<string, (ulong Address, long Value)> Facts => _facts;

    public IReadOnlyList<SpecimenThread> Threads => _threads;

    public void Add(string line)
    {
        _lines.Add(line);
        var fields = line.Split(' ');
        if (fields is ["thread", _, "tid", _, "stack", _, "tls", _]
            && int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out int index)
            && int.TryParse(fields[3], NumberStyles.None, CultureInfo.InvariantCulture, out int tid)
            && TryParseAddress(fields[5], out ulong stack) && TryParseAddress(fields[7], out ulong tls))
            _threads.Add(new SpecimenThread(index, tid, stack, tls));
        else if (fields.Length >= 2 && TryParseAddress(fields[1], out ulong address))
        {
            long value = fields.Length > 2 && long.TryParse(fields[2], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long v) ? v : 0;
            _facts[fields[0]] = (address, value);
        }
    }

    private static bool TryParseAddress(string text, out ulong address)
    {
        address = 0;
        return text.StartsWith("0x", StringComparison.Ordinal)
            && ulong.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out address);
    }
}
