using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using PageAtlas.Analysis;
using PageAtlas.Linux;
using PageAtlas.Model;
using PageAtlas.Rendering;

namespace PageAtlas.Server.Api;

/// <summary>
/// The API over one process's page-table tree: the CLI's <c>pagetable --json</c> document, and the
/// same tree drawn as SVG by the library's picture (PageTableDot through Graphviz) for the view's
/// "Export SVG". Both take <c>?range=A-B</c> (any form <c>--range</c> takes), cut to the VMAs as the CLI cuts it.
/// </summary>
internal static class PageTableEndpoints
{
    public static void Map(IEndpointRouteBuilder app, ExplorerSources sources)
    {
        const string Process = "/api/{source}/processes/{pid}";
        app.MapRead(Process + "/pagetable", (context => ApiResponse.Json(context, json =>
        {
            using var target = RequestedProcess.Open(context, sources);
            PageTableJson.Write(json, Build(context, target));
        })));
        app.MapRead(Process + "/pagetable.svg", (context => ApiResponse.File(context, "image/svg+xml", output =>
        {
            using var target = RequestedProcess.Open(context, sources);
            var view = new PageTableView(Build(context, target), full: false);
            PageTablePictureSize.EnsureDrawable(view);
            PageTableSvg.Write(view, output);
            return $"pagetable-{target.Pid}.svg";
        })));
    }

    /// <summary>The tree as the CLI builds it without --full: leaf runs folded per VMA, the kernel companion's table addresses when it is loaded and the source is live.</summary>
    private static PageTableTree Build(HttpContext context, IMemoryTarget target)
    {
        using var kernel = target is LiveProcess ? KernelCompanion.TryOpen(out _) : null;
        return PageTableReconstruction.Build(target, Selected(context, target), full: false, kernel);
    }

    /// <summary>The range asked for, in whole pages and cut to the VMAs (as the CLI's --range); null for the whole process.</summary>
    private static List<AddressRange>? Selected(HttpContext context, IMemoryTarget target)
    {
        string text = context.Request.Query["range"].ToString();
        if (text.Length == 0) return null;
        var asked = AddressRange.Parse(text).ToWholePages(target.Machine.PageSize);
        return target.Vmas
            .Select(v => new AddressRange(Math.Max(asked.Start, v.Vma.Start), Math.Min(asked.End, v.Vma.End)))
            .Where(r => r.Start < r.End)
            .OrderBy(r => r.Start)
            .ToList();
    }
}
