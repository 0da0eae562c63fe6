namespace PageAtlas.LiveTests;

/// <summary>Puts hugetlbfs pages in the kernel's pool for a test, and restores the pool afterwards.</summary>
internal sealed class HugePagePool : IDisposable
{
    private readonly string _path;
    private readonly string _before;

    public HugePagePool(int sizeKb, int pages)
    {
        _path = $"/sys/kernel/mm/hugepages/hugepages-{sizeKb}kB/nr_hugepages";
        _before = File.ReadAllText(_path).Trim();
        File.WriteAllText(_path, (int.Parse(_before) + pages).ToString());
        int now = int.Parse(File.ReadAllText(_path).Trim());
        Assert.True(now >= int.Parse(_before) + pages, $"the kernel could not reserve {pages} page(s) of {sizeKb} kB (pool at {now})");
    }

    public void Dispose() => File.WriteAllText(_path, _before);
}
