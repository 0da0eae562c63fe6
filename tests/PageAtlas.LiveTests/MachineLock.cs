using System.Diagnostics;

namespace PageAtlas.LiveTests;

/// <summary>
/// A turn at machine-wide state that every test run on the machine changes (the hugetlb pool, the
/// active swap areas): the tests of one run take turns already (the live tests run one at a time),
/// but another run's tests — a developer's beside the lead's full run — change the same state at the
/// same moment (one restores the pool under the other's specimen; pages paged out by one go to the
/// other's swap file, and come back when it is switched off). Held with flock(2), which .NET takes
/// for FileShare.None, on a file under /run (root's alone); a run that dies gives its turn back with
/// its descriptor. Waiting is bounded: a turn held for minutes is a hang, reported as one.
/// </summary>
internal sealed class MachineLock : IDisposable
{
    private static readonly TimeSpan s_bound = TimeSpan.FromMinutes(10);
    private readonly FileStream _file;

    /// <param name="state">What the lock guards, in its file's name ("hugetlb-pool", "swap").</param>
    public MachineLock(string state)
    {
        string path = $"/run/pageatlas-tests-{state}.lock";
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                _file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                return;
            }
            catch (IOException) when (clock.Elapsed < s_bound)
            {
                // Another test run holds it: its test ends in seconds.
                Thread.Sleep(200);
            }
            catch (IOException e)
            {
                throw new InvalidOperationException($"{path} was held by another test run for {s_bound.TotalMinutes} minutes: {e.Message}", e);
            }
        }
    }

    public void Dispose() => _file.Dispose();
}
