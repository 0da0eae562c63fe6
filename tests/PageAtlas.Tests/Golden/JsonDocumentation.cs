using System.Text.Json;
using System.Text.RegularExpressions;

namespace PageAtlas.Tests.Golden;

/// <summary>
/// docs/json.md read as the list of keys each document may and must hold. A section ("## `pageatlas/maps`")
/// documents a key by naming it in backticks (`present`, `became-present`, the keys of a
/// `{ "address", "pages": N }` example, the names in `class: { kind, owner }`); it takes in the keys of
/// the sections it refers to by name ("VMA object(s)/fields", "page fields", "translate rows"); the
/// preamble's keys and its JSON example (the header every document opens with) are allowed in every document.
/// </summary>
internal sealed partial class JsonDocumentation
{
    private readonly Dictionary<string, string> _sections = [];
    private readonly string _preamble;

    private JsonDocumentation(string markdown)
    {
        var parts = markdown.Split("\n## ");
        _preamble = parts[0];
        foreach (var part in parts.Skip(1))
        {
            int newline = part.IndexOf('\n');
            _sections[part[..newline].Trim()] = part[(newline + 1)..];
        }
    }

    public static JsonDocumentation Read()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            string path = Path.Combine(directory.FullName, "docs", "json.md");
            if (File.Exists(path)) return new JsonDocumentation(File.ReadAllText(path));
        }
        throw new FileNotFoundException("docs/json.md above the test binary");
    }

    /// <summary>The keys of the header every document may carry (`schema`, `machine`'s fields…).</summary>
    public IReadOnlySet<string> HeaderKeys => KeysIn(_preamble);

    /// <summary>The keys the section of <paramref name="schema"/> ("maps") names, with those of the sections it refers to.</summary>
    public IReadOnlySet<string> KeysOf(string schema)
    {
        string text = Section($"`pageatlas/{schema}`");
        var keys = new HashSet<string>(KeysIn(text), StringComparer.Ordinal);
        if (text.Contains("VMA object", StringComparison.Ordinal) || text.Contains("VMA fields", StringComparison.Ordinal))
            keys.UnionWith(KeysIn(Section("VMA object")));
        if (text.Contains("page fields", StringComparison.OrdinalIgnoreCase))
            keys.UnionWith(KeysIn(Section("Page fields")));
        if (text.Contains("translate row", StringComparison.Ordinal))
            keys.UnionWith(KeysOf("translate"));
        return keys;
    }

    /// <summary>The ids of the frames rows, in the order "Row kinds, in order: …" lists them (the meminfo field each matches in parentheses).</summary>
    public IReadOnlyList<string> FrameRowKinds()
    {
        string text = Section("`pageatlas/frames`");
        int start = text.IndexOf("Row kinds, in order:", StringComparison.Ordinal) + "Row kinds, in order:".Length;
        string list = Parenthesised().Replace(text[start..text.IndexOf(". ", start, StringComparison.Ordinal)], "");
        return [.. list.Split(',').Select(k => k.Trim())];
    }

    private string Section(string titleStart) =>
        _sections.FirstOrDefault(s => s.Key.StartsWith(titleStart, StringComparison.Ordinal)).Value
        ?? throw new KeyNotFoundException($"docs/json.md has no section '## {titleStart}…'");

    private static HashSet<string> KeysIn(string text)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (Match span in CodeSpan().Matches(text))
        {
            string code = span.Groups[1].Value;
            if (KeyName().IsMatch(code)) keys.Add(code);
            else if (code.Contains('"')) keys.UnionWith(QuotedKeys(code));
            else if (code.Contains('{')) keys.UnionWith(BareWord().Matches(code).Select(m => m.Value));
        }
        foreach (Match block in JsonBlock().Matches(text)) keys.UnionWith(QuotedKeys(block.Groups[1].Value));
        return keys;
    }

    private static IEnumerable<string> QuotedKeys(string code) =>
        QuotedKey().Matches(code).Select(m => m.Groups[1].Value);

    [GeneratedRegex("\\([^()]*(\\([^()]*\\)[^()]*)*\\)")]
    private static partial Regex Parenthesised();

    [GeneratedRegex("```json\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex JsonBlock();

    [GeneratedRegex("(?<!`)`([^`\n]+)`(?!`)")]
    private static partial Regex CodeSpan();

    [GeneratedRegex("^[a-z][A-Za-z0-9]*(-[a-z]+)*$")]
    private static partial Regex KeyName();

    [GeneratedRegex("\\b[a-z][A-Za-z0-9]*\\b")]
    private static partial Regex BareWord();

    /// <summary>"key" followed by ':' ',' or '}', not after a ':' (a key, not a string value).</summary>
    [GeneratedRegex("(?<!:\\s*)\"([a-zA-Z][A-Za-z0-9-]*)\"\\s*[:,}]")]
    private static partial Regex QuotedKey();
}

/// <summary>
/// The keys rendered JSON documents hold, at any depth, by path ("vmas.class.kind", arrays left out of
/// the path) with the kinds of value each path holds. The members of an object under a key in
/// <paramref name="dataKeyed"/> are data (physmap's frames by kind name), not keys.
/// </summary>
internal static class JsonKeys
{
    public static Dictionary<string, HashSet<JsonValueKind>> Of(IEnumerable<string> documents, IReadOnlySet<string> dataKeyed)
    {
        var paths = new Dictionary<string, HashSet<JsonValueKind>>(StringComparer.Ordinal);
        foreach (var text in documents)
        {
            using var document = JsonDocument.Parse(text);
            Collect(document.RootElement, "", dataKeyed, paths);
        }
        return paths;
    }

    /// <summary>The key a path ends in.</summary>
    public static string Name(string path) => path[(path.LastIndexOf('.') + 1)..];

    private static void Collect(JsonElement element, string path, IReadOnlySet<string> dataKeyed, Dictionary<string, HashSet<JsonValueKind>> paths)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            if (dataKeyed.Contains(Name(path))) return;
            foreach (var property in element.EnumerateObject())
            {
                string child = path.Length == 0 ? property.Name : path + "." + property.Name;
                if (!paths.TryGetValue(child, out var kinds)) paths[child] = kinds = [];
                kinds.Add(property.Value.ValueKind);
                Collect(property.Value, child, dataKeyed, paths);
            }
        }
        else if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in element.EnumerateArray()) Collect(item, path, dataKeyed, paths);
        }
    }

    /// <summary>Every string that starts "0x" anywhere in the documents.</summary>
    public static IEnumerable<(string Key, string Value)> HexStrings(IEnumerable<string> documents)
    {
        foreach (var text in documents)
        {
            using var document = JsonDocument.Parse(text);
            foreach (var pair in Strings(document.RootElement, "")) if (pair.Value.StartsWith("0x", StringComparison.Ordinal)) yield return pair;
        }
    }

    private static IEnumerable<(string Key, string Value)> Strings(JsonElement element, string key)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String: yield return (key, element.GetString()!); break;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                    foreach (var pair in Strings(property.Value, property.Name)) yield return pair;
                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                    foreach (var pair in Strings(item, key)) yield return pair;
                break;
        }
    }
}
