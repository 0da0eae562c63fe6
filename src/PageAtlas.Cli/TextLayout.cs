namespace PageAtlas.Cli;

/// <summary>
/// How a text report is laid out: the width its tables must fit (null: no limit, every value whole),
/// whether cells may carry colour, and the unit of sizes. Made from a command's options and its
/// console by <see cref="LayoutOptions"/>.
/// </summary>
internal sealed record TextLayout(int? Width, bool Colour, SizeUnit Unit)
{
    /// <summary>No width limit, no colour, human sizes: for reports with no layout options.</summary>
    public static readonly TextLayout Whole = new(null, false, SizeUnit.Human);

    /// <summary>How sizes are written, counting pages of <paramref name="pageSize"/> bytes.</summary>
    public SizeFormat Sizes(int pageSize) => new(Unit, pageSize);
}
