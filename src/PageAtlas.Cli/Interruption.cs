using System.Runtime.InteropServices;

namespace PageAtlas.Cli;

/// <summary>
/// SIGINT (Ctrl+C), SIGTERM and SIGHUP end PageAtlas the same way: what it had half-written is
/// removed and what it had started is stopped (<see cref="InterruptCleanup"/>), then it exits with
/// 128 + the signal's number — 130, 143, 129 — as a shell reports a command a signal ended. A
/// command for which Ctrl+C is the way to finish (watch) asks for SIGINT to stop it instead. The
/// running command learns of it through <see cref="Token"/> (System.CommandLine hands it to the
/// handler), cancelled first, so that a long scan stops at its next batch while the cleanup runs.
/// </summary>
internal static class Interruption
{
    private static readonly List<PosixSignalRegistration> s_registrations = [];
    private static Action? s_stopOnCtrlC;
    private static readonly CancellationTokenSource s_cancel = new();
    private static TextWriter s_error = TextWriter.Null;
    private static int s_ending;

    /// <summary>Cancelled when a signal ends the program.</summary>
    public static CancellationToken Token => s_cancel.Token;

    /// <summary>Handles the three signals from now on, saying so on <paramref name="error"/>.</summary>
    public static void Install(TextWriter error)
    {
        s_error = error;
        foreach (var signal in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGHUP })
            s_registrations.Add(PosixSignalRegistration.Create(signal, Handle));
    }

    /// <summary>While the returned registration lives, Ctrl+C calls <paramref name="stop"/> instead of ending the program.</summary>
    public static IDisposable StopOnCtrlC(Action stop)
    {
        Volatile.Write(ref s_stopOnCtrlC, stop);
        return new Unregister(() => Volatile.Write(ref s_stopOnCtrlC, null));
    }

    /// <summary>Whether a signal is ending the program: errors its cleanup causes in the running command are not the user's news.</summary>
    public static bool Ending => Volatile.Read(ref s_ending) != 0;

    /// <summary>When a signal is ending the program, waits for the handler to exit with its code, so that the command's own result cannot win the race.</summary>
    public static void WaitIfEnding()
    {
        if (Ending) Thread.Sleep(Timeout.Infinite);
    }

    private static void Handle(PosixSignalContext context)
    {
        context.Cancel = true;
        if (context.Signal == PosixSignal.SIGINT && Volatile.Read(ref s_stopOnCtrlC) is { } stop)
        {
            stop();
            return;
        }
        int number = Number(context.Signal);
        if (Interlocked.CompareExchange(ref s_ending, number, 0) != 0) return; // a first signal is already ending it
        s_cancel.Cancel();
        InterruptCleanup.RunAll();
        // One line in PageAtlas's words, on a line of its own (a progress line is erased first).
        ProgressDisplay.EraseCurrent();
        s_error.WriteLine($"pageatlas: interrupted by {Name(context.Signal)}: stopped; no half-written output file is left");
        Environment.Exit(128 + number);
    }

    /// <summary>Linux's signal numbers (signal(7)); PosixSignal's values are .NET's own.</summary>
    private static int Number(PosixSignal signal) => signal switch
    {
        PosixSignal.SIGHUP => 1,
        PosixSignal.SIGINT => 2,
        _ => 15,
    };

    private static string Name(PosixSignal signal) => signal switch
    {
        PosixSignal.SIGHUP => "SIGHUP",
        PosixSignal.SIGINT => "SIGINT (Ctrl+C)",
        _ => "SIGTERM",
    };

    private sealed class Unregister(Action undo) : IDisposable
    {
        public void Dispose() => undo();
    }
}
