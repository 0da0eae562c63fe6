namespace PageAtlas.Rendering;

/// <summary>
/// The page-table picture as SVG: <see cref="PageTableDot"/>'s graph drawn by Graphviz. One drawing
/// for the CLI's <c>--format svg</c> and the explorer's "Export SVG", so the two never differ.
/// </summary>
public static class PageTableSvg
{
    /// <summary>Draws <paramref name="view"/> into <paramref name="output"/> (callers refuse a too-tall picture first: <see cref="PageTablePictureSize.EnsureDrawable"/>).</summary>
    /// <exception cref="ExternalToolException">Graphviz's dot is missing or failed.</exception>
    public static void Write(PageTableView view, Stream output)
    {
        var dot = new StringWriter();
        PageTableDot.Write(dot, view);
        Graphviz.Render(dot.ToString(), "svg", output);
    }
}
