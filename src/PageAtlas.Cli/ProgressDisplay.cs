using System.Globalization;
using System.Text;

namespace PageAtlas.Cli;

/// <summary>
/// One line on stderr that says how far long work has got ("pageatlas: frames: 41% (2,686,976 of
/// 6,553,600 frames)"), shown only when stderr is a terminal and the output is not JSON, and only
/// once the work has taken a second (<c>PAGEATLAS_PROGRESS_AFTER</c> seconds, when set: 0 shows it
/// from the start): short commands and pipes see nothing. The line is redrawn
/// in place with a carriage return (written to the raw stream: the text is PageAtlas's own, and
/// the escaping console writer would show the return as "\r") and erased when the work ends.
/// </summary>
internal sealed class ProgressDisplay : IDisposable
{
    /// <summary>The environment variable that sets how many seconds of work come before the line.</summary>
    public const string DelayVariable = "PAGEATLAS_PROGRESS_AFTER";

    private static readonly TimeSpan s_defaultDelay = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan s_longestDelay = TimeSpan.FromDays(1);
    private static readonly TimeSpan s_period = TimeSpan.FromMilliseconds(250);
    private static ProgressDisplay? s_current;

    private readonly string _what;
    private readonly string _unit;
    /// <summary>The terminal's columns, asked at each redraw (it may be resized meanwhile).</summary>
    private readonly Func<int?> _width;
    private readonly Stream _stderr = FileDescriptorStream.StandardError();
    private readonly Timer _timer;
    private readonly Lock _gate = new();
    private int _shownLength;
    private bool _ended;

    private ProgressDisplay(string what, string unit, TimeSpan delay, Func<int?> width)
    {
        _what = what;
        _unit = unit;
        _width = width;
        _timer = new Timer(_ => Draw(), null, delay, s_period);
        Volatile.Write(ref s_current, this);
    }

    /// <summary>What the work counts.</summary>
    public WorkProgress Work { get; } = new();

    /// <summary>
    /// A display of work on <paramref name="what"/> counted in <paramref name="unit"/>, or null when
    /// nothing may be shown (stderr is not a terminal, or the output is JSON).
    /// </summary>
    public static ProgressDisplay? Start(CliConsole console, string what, string unit, bool json) =>
        json || console.IsErrorRedirected ? null : new ProgressDisplay(what, unit, Delay(console), () => console.MessageWidth);

    /// <summary>
    /// The seconds of work before the line is shown: <see cref="DelayVariable"/> when it holds a
    /// number of seconds from 0 to a day, else (with a warning, if it is set but is not one) a second.
    /// </summary>
    private static TimeSpan Delay(CliConsole console)
    {
        string? text = Environment.GetEnvironmentVariable(DelayVariable);
        if (text is null) return s_defaultDelay;
        if (double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double seconds)
            && seconds <= s_longestDelay.TotalSeconds)
            return TimeSpan.FromSeconds(seconds);
        console.Warn($"{DelayVariable}={text} is not a number of seconds from 0 to {s_longestDelay.TotalSeconds:0}; showing progress after {s_defaultDelay.TotalSeconds:0} s");
        return s_defaultDelay;
    }

    /// <summary>Erases the line being shown, if any, so that a last message starts on a clean line (a signal ending the program).</summary>
    public static void EraseCurrent() => Volatile.Read(ref s_current)?.End();

    private void Draw()
    {
        lock (_gate)
        {
            if (_ended) return;
            long done = Work.Done, total = Work.Total;
            string percent = total > 0 ? $"{Math.Min(100, done * 100 / total)}% " : "";
            string line = string.Create(CultureInfo.InvariantCulture, $"pageatlas: {_what}: {percent}({done:N0} of {total:N0} {_unit})");
            // Kept short of the last column: a line the terminal wraps is two, and the carriage return
            // that redraws it goes back to the second only, so each redraw left one more on the screen.
            if (_width() is { } width && line.Length >= width) line = line[..Math.Max(1, width - 1)];
            Write("\r" + line.PadRight(_shownLength));
            _shownLength = line.Length;
        }
    }

    private void End()
    {
        lock (_gate)
        {
            if (_ended) return;
            _ended = true;
            if (_shownLength > 0) Write("\r" + new string(' ', _shownLength) + "\r");
            _shownLength = 0;
        }
    }

    private void Write(string text)
    {
        try
        {
            _stderr.Write(Encoding.UTF8.GetBytes(text));
            _stderr.Flush();
        }
        catch (IOException)
        {
            // A terminal that went away: progress is not worth an error.
        }
    }

    /// <summary>Stops the display and erases its line.</summary>
    public void Dispose()
    {
        _timer.Dispose();
        End();
        Interlocked.CompareExchange(ref s_current, null, this);
    }
}
