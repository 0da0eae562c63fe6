using System.Security.Cryptography;
using PageAtlas.Output;

namespace PageAtlas.Server.Api;

/// <summary>
/// The snapshot files the server keeps while it runs: those uploaded from the browser and those lab
/// runs leave. Each is a new file with a random name in one <see cref="PrivateDirectory"/> (mode 0700,
/// made with mkdir at the first use in the temp directory, owned by the server's user: root when it
/// runs as root), at most <see cref="Most"/> in all; the directory and every file in it are removed
/// when the server stops, or a signal ends it (only SIGKILL leaves it in the temp directory).
/// </summary>
public sealed class KeptSnapshots : IDisposable
{
    private readonly Lazy<PrivateDirectory> _directory;
    private int _taken;

    /// <summary>At most <paramref name="most"/> files in all.</summary>
    public KeptSnapshots(int most)
    {
        Most = most;
        _directory = new Lazy<PrivateDirectory>(() => PrivateDirectory.Create(Path.GetTempPath()), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>How many files the server keeps at most.</summary>
    public int Most { get; }

    /// <summary>Where the files are while the server runs (made at the first use).</summary>
    public string Directory => _directory.Value.Path;

    /// <summary>Takes one of the <see cref="Most"/> places, for a file at <see cref="NewPath"/>; false when every place is taken.</summary>
    public bool TryTake()
    {
        if (Interlocked.Increment(ref _taken) <= Most) return true;
        Interlocked.Decrement(ref _taken);
        return false;
    }

    /// <summary>Gives back a place whose file was not kept (and is deleted by the caller).</summary>
    public void GiveBack() => Interlocked.Decrement(ref _taken);

    /// <summary>A new random file name in the directory.</summary>
    public string NewPath() => Path.Combine(Directory, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)) + ".db");

    /// <summary>Removes every file and the directory.</summary>
    public void Dispose()
    {
        if (_directory.IsValueCreated) _directory.Value.Dispose();
    }
}
