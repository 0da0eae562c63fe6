using PageAtlas.Cli;
using PageAtlas.Analysis;
using PageAtlas.Cli.Commands;

namespace PageAtlas.Tests;

/// <summary>The process list's filter, order and compact sizes.</summary>
public class ProcessListTests
{
    [Theory]
    [InlineData("ython", "python3", true)] // no * or ?: a substring
    [InlineData("python", "python3", true)]
    [InlineData("Python", "python3", false)] // case counts, as the kernel keeps the name
    [InlineData("python*", "python3", true)] // a glob matches the whole name
    [InlineData("ython*", "python3", false)]
    [InlineData("?ython?", "python3", true)]
    [InlineData("p*n*3", "python3", true)]
    [InlineData("*", "", true)]
    [InlineData("a*b*c", "aXbYcZ", false)]
    [InlineData("[x]", "a[x]b", true)] // brackets are themselves
    public void NamesMatchBySubstringOrWholeGlob(string pattern, string name, bool matches) =>
        Assert.Equal(matches, new ProcessFilter(pattern).Matches(name, 0));

    [Fact]
    public void TheUserFilterIsTheEffectiveUid()
    {
        Assert.True(new ProcessFilter(Uid: 1000).Matches("x", 1000));
        Assert.False(new ProcessFilter(Uid: 1000).Matches("x", 0));
        Assert.True(ProcessFilter.All.Matches("x", 0));
    }

    private static ProcessSummary P(int pid, string name, ulong pss, ulong rss = 0) => new(pid, 0, "root", name, rss, pss, 0, 0, 0, 1);

    [Fact]
    public void SizesSortLargestFirstTiesByPidAndNamesAlphabetically()
    {
        var list = new[] { P(3, "b", 10), P(1, "c", 20), P(2, "a", 10) };
        Assert.Equal([1, 2, 3], ProcessOrdering.Sort(list, ProcessOrder.Pss).Select(p => p.Pid));
        Assert.Equal([2, 3, 1], ProcessOrdering.Sort(list, ProcessOrder.Name).Select(p => p.Pid));
        Assert.Equal([1, 2, 3], ProcessOrdering.Sort(list, ProcessOrder.Pid).Select(p => p.Pid));
        Assert.Equal(ProcessOrder.Thp, ProcessOrdering.Parse("thp"));
        var e = Assert.Throws<InvalidRequestException>(() => ProcessOrdering.Parse("size"));
        Assert.Contains("pss, rss, uss, swap, thp, vmas, pid, name", e.Message);
    }

    [Theory]
    [InlineData(0UL, "0")]
    [InlineData(512UL, "512B")]
    [InlineData(4096UL, "4.0K")]
    [InlineData(999UL * 1024, "999K")]
    [InlineData(1000UL * 1024, "1.0M")] // never four digits before the unit
    [InlineData(12_897_484UL, "12.3M")]
    [InlineData(104_857_600UL, "100M")]
    [InlineData(4UL << 30, "4.0G")]
    [InlineData(ulong.MaxValue, "16.0E")]
    public void SizesAreAtMostFiveCharacters(ulong bytes, string text)
    {
        Assert.Equal(text, HumanOutput.Bytes(bytes));
        Assert.True(text.Length <= 5);
    }
}
