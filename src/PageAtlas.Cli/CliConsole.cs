using PageAtlas.Rendering;

namespace PageAtlas.Cli;

/// <summary>
/// Where a command's output goes: standard output as a stream (JSON documents, snapshot bytes) and as
/// escaped text, standard error, and what a renderer needs to know of them (redirected or a
/// terminal, how wide). Commands are given one and never touch <see cref="Console"/>: the program
/// runs on <see cref="ForProcess"/>, tests on captured streams (<see cref="Captured"/>).
/// </summary>
internal sealed class CliConsole
{
    private readonly Func<TextReader> _input;
    private readonly Func<Stream> _openOutput;
    private readonly int? _width;
    private readonly Func<int?> _messageWidth;

    private CliConsole(Func<TextReader> input, Func<Stream> openOutput, TextWriter output, TextWriter error, bool outputRedirected, bool errorRedirected, int? width, Func<int?> messageWidth)
    {
        _messageWidth = messageWidth;
        _input = input;
        _openOutput = openOutput;
        Out = output;
        Error = error;
        IsOutputRedirected = outputRedirected;
        IsErrorRedirected = errorRedirected;
        _width = width;
    }

    /// <summary>Standard input (mtest reads its commands there).</summary>
    /// <remarks>
    /// The bare descriptor, opened when first asked for: .NET's Console.In on a terminal sets the
    /// terminal up for reading keys and writes its keypad sequence (ESC [?1h ESC =) to stdout.
    /// </remarks>
    public TextReader In => _input();

    /// <summary>Standard output as text, escaped for a terminal, unbuffered (for short reports).</summary>
    public TextWriter Out { get; }

    /// <summary>Standard error, escaped for a terminal.</summary>
    public TextWriter Error { get; }

    /// <summary>Whether standard output is a file or a pipe rather than a terminal.</summary>
    public bool IsOutputRedirected { get; }

    /// <summary>Whether standard error is a file or a pipe: then no progress line is drawn.</summary>
    public bool IsErrorRedirected { get; }

    /// <summary>
    /// The program's own standard output and error, escaped: no control character of another user's
    /// may reach the terminal, whichever line forgot to escape a name (JSON goes to the raw stream).
    /// </summary>
    public static CliConsole ForProcess()
    {
        // The bare descriptors, never Console.Out/Error/In: .NET's console streams send the terminal
        // keypad_xmit (ESC [?1h ESC =) before their first write or read and never reset it.
        var output = TextWriter.Synchronized(new TerminalTextWriter(new StreamWriter(StandardOutput.Open()) { AutoFlush = true }));
        var error = TextWriter.Synchronized(new TerminalTextWriter(new StreamWriter(FileDescriptorStream.StandardError()) { AutoFlush = true }));
        // Whatever writes through Console (a library's stray line) takes the same way.
        Console.SetOut(output);
        Console.SetError(error);
        var input = new Lazy<TextReader>(() => new StreamReader(FileDescriptorStream.StandardInput()));
        bool errorRedirected = Console.IsErrorRedirected;
        int? columns = ColumnsVariable();
        return new CliConsole(() => input.Value, StandardOutput.Open, output, error, Console.IsOutputRedirected, errorRedirected, columns,
            () => errorRedirected ? null : columns ?? (TerminalWindow.Size(fd: 2).Columns is > 0 and var width ? width : null));
    }

    /// <summary>
    /// A console whose standard output is <paramref name="openOutput"/>'s stream (each call gives a
    /// stream the command may dispose) and whose error is <paramref name="error"/>, both redirected
    /// unless <paramref name="outputIsTerminal"/> has the output stand for a terminal (what a
    /// renderer decides from that, colour, is then seen in-process), with tables laid out for
    /// <paramref name="width"/> columns (as COLUMNS would ask; null: a pipe's whole values, or 80 on
    /// a terminal); standard input is <paramref name="input"/>, or empty; warnings and notes are broken
    /// into lines of <paramref name="messageWidth"/> columns, as on a terminal that wide, or kept whole.
    /// </summary>
    public static CliConsole Captured(Func<Stream> openOutput, TextWriter output, TextWriter error, int? width, bool outputIsTerminal = false, TextReader? input = null, int? messageWidth = null) =>
        new(() => input ?? TextReader.Null, openOutput, new TerminalTextWriter(output, leaveOpen: true), new TerminalTextWriter(error, leaveOpen: true), !outputIsTerminal, true, width, () => messageWidth);

    /// <summary>
    /// The width text tables must fit (<see cref="TextTable"/>), null for none: COLUMNS when it is
    /// set to a number (the user asked for that width, even in a pipe), else the terminal's width
    /// when standard output is one. In a pipe or a file, no limit: scripts read whole values, so
    /// nothing is shortened or hidden there (as --wide), and no column is padded past its widest cell.
    /// </summary>
    public int? TableWidth => _width ?? (IsOutputRedirected ? null : TerminalSize().Width);

    /// <summary>COLUMNS as a width, when it is set to a positive number.</summary>
    private static int? ColumnsVariable() =>
        int.TryParse(Environment.GetEnvironmentVariable("COLUMNS"), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int columns) && columns > 0
            ? columns : null;

    /// <summary>Standard output for a text report laid out as <paramref name="layout"/> says, buffered; dispose it to flush.</summary>
    public TextOutput OpenText(TextLayout layout) => new(new StreamWriter(OpenOutput(), bufferSize: 1 << 16), layout);

    /// <summary>
    /// Standard output as a stream that notices a closed pipe (<see cref="StandardOutput"/>). Dispose
    /// it when done: it does not close standard output.
    /// </summary>
    public Stream OpenOutput() => _openOutput();

    /// <summary>
    /// Standard output for a long listing: buffered (a line per write system call is what made long
    /// listings slow) and escaped for a terminal like <see cref="Out"/>. Dispose it to flush.
    /// </summary>
    public TextWriter OpenText() => new TerminalTextWriter(new StreamWriter(OpenOutput(), bufferSize: 1 << 16));

    /// <summary>
    /// The terminal's columns and rows, for a screen redrawn in place (watch --top): the width given
    /// to a captured console, else the terminal's; 80 by 24 where the terminal does not say (a
    /// pseudo-terminal nobody sized reports 0).
    /// </summary>
    public (int Width, int Height) TerminalSize()
    {
        int width = 0, height = 0;
        if (!IsOutputRedirected)
        {
            (width, height) = TerminalWindow.Size();
        }
        return (_width ?? (width > 0 ? width : 80), height > 0 ? height : 24);
    }

    /// <summary>The columns of the terminal standard error is (COLUMNS when set), or null when it is a file or a pipe.</summary>
    public int? MessageWidth => _messageWidth();

    /// <summary>Prints a warning on stderr (used for missing privileges: the output goes on).</summary>
    public void Warn(string message) => Message($"pageatlas: warning: {TerminalText.Escape(message)}");

    /// <summary>Prints a note on stderr: how PageAtlas read what was asked (the output goes on).</summary>
    public void Note(string message) => Message($"pageatlas: note: {TerminalText.Escape(message)}");

    /// <summary>
    /// A line of prose on stderr: on a terminal broken between words at its width (continued two
    /// columns in), so that the terminal does not cut a word or a number; in a file or a pipe one line,
    /// for whoever greps it. Errors stay one line everywhere (<see cref="ErrorReporter"/>).
    /// </summary>
    public void Message(string text)
    {
        if (MessageWidth is { } width)
            foreach (string line in Paragraph.Lines(text, width, indent: 2)) Error.WriteLine(line);
        else Error.WriteLine(text);
    }
}
