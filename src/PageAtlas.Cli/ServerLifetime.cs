using PageAtlas.Server;

namespace PageAtlas.Cli;

/// <summary>How serve and exporter run their server: started, announced, until Ctrl+C, then closed (exit 0: that is how a server is meant to end).</summary>
internal static class ServerLifetime
{
    public static int Run<T>(Func<CancellationToken, Task<T>> start, Action<T> announce, CancellationToken cancellation) where T : IRunningServer
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        // Ctrl+C is how a server is stopped: it ends the wait, the server closes, exit 0.
        using var ctrlC = Interruption.StopOnCtrlC(stop.Cancel);
        var server = start(cancellation).GetAwaiter().GetResult();
        try
        {
            announce(server);
            server.WaitAsync(stop.Token).GetAwaiter().GetResult();
        }
        finally
        {
            server.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
        return ExitCodes.Ok;
    }
}
