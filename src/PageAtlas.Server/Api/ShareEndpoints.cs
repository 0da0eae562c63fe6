using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using PageAtlas.Analysis;
using PageAtlas.Model;
using PageAtlas.Rendering;

namespace PageAtlas.Server.Api;

/// <summary>
/// The API over what processes share (the CLI's `share`): /api/{source}/share?pids=1,2 answers the
/// "pageatlas/share" document, and /api/{source}/share/pages the pages behind one of its figures, a
/// slice at a time ("pageatlas/share-pages", docs/explorer.md).
/// </summary>
internal static class ShareEndpoints
{
    /// <summary>The most processes one comparison takes (each is read whole, 8 bytes a present page).</summary>
    private const int MaxProcesses = 16;

    public static void Map(IEndpointRouteBuilder app, ExplorerSources sources)
    {
        app.MapRead("/api/{source}/share", context => ApiResponse.Json(context, json =>
        {
            var pids = Pids(context);
            using var targets = new OpenTargets(sources, RequestValues.Source(context), pids);
            ShareJson.Write(json, Sharing.Compare(targets.List));
        }));
        app.MapRead("/api/{source}/share/pages", context => ApiResponse.Json(context, json =>
        {
            var pids = Pids(context);
            string figure = context.Request.Query["figure"].ToString();
            if (!SharePagesJson.FigureNames.TryGetValue(figure, out var kind))
                throw new InvalidRequestException($"'figure' is one of {string.Join(", ", SharePagesJson.FigureNames.Keys)}");
            int privateOf = kind == SharePageKind.Private ? pids.IndexOf(RequestValues.Count(context, "pid") ?? 0) : -1;
            if (kind == SharePageKind.Private && privateOf < 0) throw new InvalidRequestException("'pid' names the process whose own pages are listed: one of 'pids'");
            var group = Group(context);
            using var targets = new OpenTargets(sources, RequestValues.Source(context), pids);
            var listing = SharePageList.List(targets.List, group, kind, privateOf,
                RequestValues.Count(context, "offset") ?? 0, RequestValues.Count(context, "count") ?? 100);
            SharePagesJson.Write(json, pids, figure, listing, targets.List[0].Visibility);
        }));
    }

    /// <summary>"pids": two or more distinct process ids, comma separated.</summary>
    private static List<int> Pids(HttpContext context)
    {
        var pids = new List<int>();
        foreach (string part in context.Request.Query["pids"].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out int pid) || pid <= 0)
                throw new InvalidRequestException("'pids' is a comma-separated list of process ids");
            pids.Add(pid);
        }
        if (pids.Count < 2 || pids.Count > MaxProcesses) throw new InvalidRequestException($"share compares 2 to {MaxProcesses} processes ('pids')");
        if (pids.Distinct().Count() != pids.Count) throw new InvalidRequestException("share needs distinct processes");
        return pids;
    }

    /// <summary>
    /// The group a listing is of, as the share document names it: "class" (a kind) and "owner" for a
    /// class, with "rank" for one VMA; no "class" for every page. A VMA is in the group when its share
    /// key (<see cref="Sharing.ClassKey"/>) is the class's, and its rank the one asked.
    /// </summary>
    private static Func<int, ClassifiedVma, int, bool> Group(HttpContext context)
    {
        string kindName = context.Request.Query["class"].ToString();
        if (kindName.Length == 0) return (_, _, _) => true;
        int kind = SegmentClass.KindNames.ToList().IndexOf(kindName);
        if (kind < 0) throw new InvalidRequestException($"'class' is a kind of region: {string.Join(", ", SegmentClass.KindNames)}");
        string owner = context.Request.Query["owner"].ToString();
        string key = new SegmentClass((SegmentKind)kind, owner.Length == 0 ? null : owner).ToString();
        int? rank = RequestValues.Count(context, "rank");
        return (_, vma, vmaRank) => Sharing.ClassKey(vma) == key && (rank is null || rank == vmaRank);
    }

    /// <summary>The processes of one source, opened in order and closed together.</summary>
    private sealed class OpenTargets : IDisposable
    {
        public OpenTargets(ExplorerSources sources, string source, IEnumerable<int> pids)
        {
            try
            {
                foreach (int pid in pids) List.Add(sources.OpenProcess(source, pid));
            }
            catch
            {
                Dispose();
                throw;
            }
        }

        public List<IMemoryTarget> List { get; } = [];

        public void Dispose()
        {
            foreach (var target in List) target.Dispose();
        }
    }
}
