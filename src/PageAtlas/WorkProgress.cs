namespace PageAtlas;

/// <summary>
/// How far a long piece of work has got (frames scanned, pages read, processes searched), for
/// whoever shows it: the worker adds to it, another thread reads it. The library only counts; it
/// never prints.
/// </summary>
public sealed class WorkProgress
{
    private long _done;
    private long _total;

    /// <summary>Units of work finished so far.</summary>
    public long Done => Volatile.Read(ref _done);

    /// <summary>Units of work known so far (it can grow as work is found).</summary>
    public long Total => Volatile.Read(ref _total);

    /// <summary>Adds <paramref name="units"/> of work to do.</summary>
    public void AddTotal(long units) => Interlocked.Add(ref _total, units);

    /// <summary>Records <paramref name="units"/> more units finished.</summary>
    public void Advance(long units) => Interlocked.Add(ref _done, units);
}
