namespace PageAtlas.Server;

/// <summary>A started PageAtlas server: it runs until told to stop, then closes.</summary>
public interface IRunningServer : IAsyncDisposable
{
    /// <summary>Runs until <paramref name="cancellation"/> ends it.</summary>
    Task WaitAsync(CancellationToken cancellation);
}
