using System.Text.Json;
using System.Text.Json.Nodes;

namespace PageAtlas.LiveTests;

/// <summary>
/// A composition document with the PSS of every row that holds pages other processes map too (RSS
/// above USS) left out: libc's and the vdso's PSS moves whenever any process on the machine starts
/// or ends, and under CI's load that happens between any two readings however often they are
/// retried. Everything else — RSS, USS, swap, presence — is still compared exactly, and a row of the
/// process's own pages keeps its PSS.
/// </summary>
internal static class SharedPss
{
    public static string Masked(string json)
    {
        var root = JsonNode.Parse(json)!;
        Mask(root);
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true });

        static void Mask(JsonNode? node)
        {
            if (node is JsonArray array)
                foreach (var item in array) Mask(item);
            if (node is not JsonObject row) return;
            if (row["rssBytes"] is JsonValue rss && row["ussBytes"] is JsonValue uss && rss.GetValue<long>() > uss.GetValue<long>())
                row["pssBytes"] = "(shared with other processes)";
            foreach (var (_, child) in row.ToList()) Mask(child);
        }
    }
}
