using System.Security.Cryptography;
using PageAtlas.Linux;
using PageAtlas.Linux.Interop;

namespace PageAtlas.Output;

/// <summary>
/// A directory for files being written, that no other user can enter or predict: a random name,
/// mode 0700, made with mkdir(2), which fails rather than reuse whatever is already at that name. A
/// symbolic link planted by someone who can write the parent cannot redirect anything written
/// inside, even by code that opens files by path (SQLite). Removed with its contents when disposed,
/// and when a signal ends the program (<see cref="InterruptCleanup"/>).
/// </summary>
public sealed class PrivateDirectory : IDisposable
{
    private const uint OwnerOnly = 0b111_000_000;
    private readonly InterruptCleanup.Registration<string> _registration;

    private PrivateDirectory(InterruptCleanup.Registration<string> registration) => _registration = registration;

    /// <summary>The directory's path.</summary>
    public string Path => _registration.Value;

    /// <summary>Makes a private directory in <paramref name="parent"/>.</summary>
    /// <exception cref="IOException">mkdir failed (no permission, read-only file system, no space).</exception>
    public static PrivateDirectory Create(string parent) => new(InterruptCleanup.Track(() => Make(parent), Remove));

    /// <summary>The path of a file named <paramref name="name"/> inside.</summary>
    public string FileNamed(string name) => System.IO.Path.Combine(Path, name);

    private static string Make(string parent)
    {
        while (true)
        {
            string path = System.IO.Path.Combine(parent, $".pageatlas-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16))}.tmp");
            if (FileCalls.mkdir(path, OwnerOnly) == 0) return path;
            int errno = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
            // 128 random bits: a name already taken was planted there or is astronomically unlucky; draw again.
            if (errno != FileCalls.EEXIST) throw FileStatus.Error(errno);
        }
    }

    private static void Remove(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
            // Already gone (an interruption removed it while the writer was finishing).
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _registration.Dispose();
        Remove(Path);
    }
}
