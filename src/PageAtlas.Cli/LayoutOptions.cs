using System.CommandLine;

namespace PageAtlas.Cli;

/// <summary>
/// The text-layout options of a command that prints a table: --wide, and where it prints sizes,
/// --bytes and --pages (exact integers instead of human sizes). Read into a <see cref="TextLayout"/>
/// with the console's width and colour.
/// </summary>
internal sealed class LayoutOptions
{
    private readonly Option<bool> _wide = new("--wide") { Description = "Show every column and whole values, whatever the terminal's width (as in a pipe)" };
    private readonly Option<bool>? _bytes, _pages;

    private LayoutOptions(bool sizes)
    {
        if (!sizes) return;
        _bytes = new("--bytes") { Description = "Sizes as exact numbers of bytes, not human sizes (4.0K)" };
        _pages = new("--pages") { Description = "Sizes as exact numbers of pages" };
    }

    /// <summary>--wide only: for a table with no sizes.</summary>
    public static LayoutOptions Wide() => new(sizes: false);

    /// <summary>--wide, --bytes and --pages.</summary>
    public static LayoutOptions WithSizes() => new(sizes: true);

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        command.Options.Add(_wide);
        if (_bytes is not null) command.Options.Add(_bytes);
        if (_pages is not null) command.Options.Add(_pages);
    }

    /// <summary>The layout of a command without layout options: the console's width and colour, human sizes.</summary>
    public static TextLayout Default(CliConsole console) => new(console.TableWidth, TerminalColours.Wanted(console, null), SizeUnit.Human);

    /// <summary>The layout <paramref name="result"/> asks for on <paramref name="console"/> (--bytes with --pages was refused before any handler ran: <see cref="OptionConflicts"/>).</summary>
    public TextLayout Read(ParseResult result, CliConsole console)
    {
        bool bytes = _bytes is not null && result.GetValue(_bytes), pages = _pages is not null && result.GetValue(_pages);
        var unit = bytes ? SizeUnit.Bytes : pages ? SizeUnit.Pages : SizeUnit.Human;
        return new TextLayout(result.GetValue(_wide) ? null : console.TableWidth, TerminalColours.Wanted(console, null), unit);
    }
}
