namespace PageAtlas.LiveTests;

/// <summary>
/// Puts hugetlbfs pages in the kernel's pool for a test, and restores the pool afterwards; another
/// test run's pool changes wait for their turn (<see cref="MachineLock"/>), so that neither restores
/// the pool under the other's pages.
/// </summary>
internal sealed class HugePagePool : IDisposable
{
    private readonly string _path;
    private readonly string _before;
    private readonly MachineLock _turn;

    /// <summary>The pool's directory for pages of <paramref name="sizeKb"/>; it exists only for sizes the machine offers.</summary>
    public static string Directory(int sizeKb) => $"/sys/kernel/mm/hugepages/hugepages-{sizeKb}kB";

    /// <summary>Grows the pool by <paramref name="pages"/>; skips the test when the machine has no such pages or cannot free enough contiguous memory.</summary>
    public HugePagePool(int sizeKb, int pages)
    {
        Requires.HugePageSize(sizeKb);
        _path = Path.Combine(Directory(sizeKb), "nr_hugepages");
        _turn = new MachineLock("hugetlb-pool");
        _before = File.ReadAllText(_path).Trim();
        File.WriteAllText(_path, (int.Parse(_before) + pages).ToString());
        int now = int.Parse(File.ReadAllText(_path).Trim());
        if (now < int.Parse(_before) + pages)
        {
            Dispose();
            throw new SkipException($"the kernel could not reserve {pages} more hugetlb page(s) of {sizeKb} kB (pool at {now}, was {_before}): physical memory too fragmented or too small");
        }
    }

    public void Dispose()
    {
        File.WriteAllText(_path, _before);
        _turn.Dispose();
    }
}
