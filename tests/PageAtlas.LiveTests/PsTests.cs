using System.Globalization;
using System.Text.Json;

namespace PageAtlas.LiveTests;

/// <summary>
/// `pageatlas ps` against the kernel's own accounting: each process's figures equal its
/// /proc/&lt;pid&gt;/smaps_rollup (Rss, Pss, Private_*, Swap, AnonHugePages), its VMA count its maps'
/// lines, its user and name what `ps -eo` says; kernel threads are left out.
/// </summary>
public class PsTests
{
    private static readonly string[] s_sizeKeys = ["rssBytes", "pssBytes", "ussBytes", "swapBytes", "anonHugePagesBytes"];

    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    private static string UniqueName() => "ps" + Guid.NewGuid().ToString("N")[..10];

    private static List<JsonElement> Listed(params string[] args)
    {
        var (code, output, err) = RunningCli.Run(Bound, ["ps", "--json", .. args]);
        Assert.True(code == 0, err);
        using var document = JsonDocument.Parse(output);
        Assert.Equal("pageatlas/ps", document.RootElement.GetProperty("schema").GetString());
        return document.RootElement.GetProperty("processes").EnumerateArray().Select(p => p.Clone()).ToList();
    }

    /// <summary>smaps_rollup's figures that ps shows, in kB, the VMA count, and Pss_File (for <see cref="SameAsRollup"/>).</summary>
    private static ulong[] Kernel(int pid)
    {
        var r = Smaps.Rollup(pid);
        return [r["Rss"], r["Pss"], r["Private_Clean"] + r["Private_Dirty"], r["Swap"], r["AnonHugePages"], (ulong)File.ReadAllLines($"/proc/{pid}/maps").Length, r["Pss_File"]];
    }

    /// <summary>
    /// ps's figures against smaps_rollup read while ps did not run: every figure equal but PSS. ps reads
    /// smaps_rollup while it runs, and maps libc and the loader itself: every page of them the target
    /// maps has one mapper more then, so its share, and the target's PSS, is lower — by at most half
    /// its file PSS (a page mapped by the target alone, then by two), and never higher (+1 kB: both truncate).
    /// </summary>
    private static bool SameAsRollup(ulong[] kernel, ulong[] ps) =>
        kernel[0] == ps[0] && kernel.AsSpan(2, 4).SequenceEqual(ps.AsSpan(2, 4)) && ps[1] <= kernel[1] + 1 && kernel[1] <= ps[1] + kernel[6] / 2 + 1;

    private static ulong[] Ours(JsonElement p) =>
        [.. s_sizeKeys.Select(k => p.GetProperty(k).GetUInt64() / 1024), (ulong)p.GetProperty("vmaCount").GetInt32()];

    /// <summary>
    /// Lists with <paramref name="args"/> until every listed process's figures equal its
    /// smaps_rollup read just before and just after the listing, and returns that listing. A shared
    /// library's map count changes whenever any process on the machine starts or exits (other test
    /// classes start them all the time), and with it every mapper's Pss: a process that starts and
    /// ends inside the listing leaves the two readings equal and the listing's Pss a kB lower, so one
    /// attempt proves nothing either way. A wrong figure is wrong at every attempt: 10 attempts that
    /// never agree fail with the last one's figures. smaps_rollup prints Pss in kB truncated from the
    /// exact byte figure, as ps's bytes / 1024 are.
    /// </summary>
    private static List<JsonElement> ListedEqualToRollup(params string[] args)
    {
        string last = "";
        for (int attempt = 1; attempt <= 10; attempt++)
        {
            var pids = Listed(args).Select(p => p.GetProperty("pid").GetInt32()).ToList();
            var before = pids.ToDictionary(p => p, Kernel);
            var listed = Listed(args);
            var after = listed.Select(p => p.GetProperty("pid").GetInt32()).ToDictionary(p => p, Kernel);
            bool agree = listed.Count == pids.Count && listed.All(p =>
            {
                int pid = p.GetProperty("pid").GetInt32();
                return before.TryGetValue(pid, out var b) && b.SequenceEqual(after[pid]) && SameAsRollup(b, Ours(p));
            });
            if (agree) return listed;
            last = string.Join("; ", listed.Select(p =>
            {
                int pid = p.GetProperty("pid").GetInt32();
                return $"pid {pid}: smaps_rollup {(before.TryGetValue(pid, out var b) ? string.Join(",", b) : "none")} then {string.Join(",", after[pid])}, ps {string.Join(",", Ours(p))}";
            }));
        }
        Assert.Fail($"ps never equalled smaps_rollup read either side of it in 10 listings (rss,pss,uss,swap,thp kB; vmas; pss_file kB); the last: {last}");
        return [];
    }

    [Fact]
    public void AForkedPairSharingPagesHasSmapsRollupsFiguresAndPsUserAndName()
    {
        string name = UniqueName();
        using var pair = Specimen.StartNamed(name, "forkpair", "--touch-mib", "4");
        int child = (int)pair.Facts["child"].Value;
        var listed = ListedEqualToRollup("--name", name, "--sort", "pid");
        Assert.Equal(new[] { pair.Pid, child }.Order(), listed.Select(p => p.GetProperty("pid").GetInt32()));
        foreach (var process in listed)
        {
            int pid = process.GetProperty("pid").GetInt32();
            var (_, ps, _) = CliProcess.Run(["ps", "-o", "user=,uid=,comm=", "-p", pid.ToString(CultureInfo.InvariantCulture)]);
            var fields = ps.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(fields[0], process.GetProperty("user").GetString());
            Assert.Equal(uint.Parse(fields[1], CultureInfo.InvariantCulture), process.GetProperty("uid").GetUInt32());
            Assert.Equal(name, process.GetProperty("command").GetString());
        }
        // The 4 MiB both still share count half to each: PSS well below RSS, and not equal to USS.
        Assert.All(listed, p => Assert.True(p.GetProperty("pssBytes").GetUInt64() < p.GetProperty("rssBytes").GetUInt64() - (1UL << 20)));
    }

    [Fact]
    public void AThpSpecimenHasSmapsRollupsAnonHugePages()
    {
        string name = UniqueName();
        using var specimen = Specimen.StartNamed(name, "layout", "--thp");
        var process = Assert.Single(ListedEqualToRollup("--name", name));
        Assert.True(process.GetProperty("anonHugePagesBytes").GetUInt64() >= 4UL << 20);
    }

    /// <summary>
    /// Every process on the machine against its smaps_rollup read just before and just after the
    /// list. Exactness is proved on quiet specimens above; here other developers' builds start and end
    /// processes all the time, and each start or exit changes the map count of every libc page and so
    /// every process's Pss, even between two readings that agree. So: RSS, swap, THP and VMA
    /// count equal the kernel's wherever the kernel's held still, USS too but for what ps's own
    /// libraries share with it while it reads, and Pss is within live drift of it
    /// (a tenth, or 2 MiB) everywhere.
    /// </summary>
    [Fact]
    public void EveryProcessOnTheMachineIsWithinLiveDriftOfSmapsRollup()
    {
        var before = new Dictionary<int, ulong[]>();
        foreach (var pid in Listed().Select(p => p.GetProperty("pid").GetInt32()))
        {
            try { before[pid] = Kernel(pid); } catch (Exception e) when (e is IOException or KeyNotFoundException) { }
        }
        int compared = 0;
        foreach (var process in Listed())
        {
            int pid = process.GetProperty("pid").GetInt32();
            ulong[] after;
            try { after = Kernel(pid); } catch (Exception e) when (e is IOException or KeyNotFoundException) { continue; }
            if (!before.TryGetValue(pid, out var b)) continue;
            compared++;
            var ours = Ours(process);
            string what = $"pid {pid} ({process.GetProperty("command")}): smaps_rollup {string.Join(",", b)} then {string.Join(",", after)}, ps {string.Join(",", ours)} (rss,pss,uss,swap,thp kB; vmas)";
            if (b.SequenceEqual(after))
            {
                foreach (int field in new[] { 0, 3, 4, 5 }) Assert.True(b[field] == ours[field], what);
                // USS counts the pages only this process maps. While ps reads, ps maps its own libraries
                // too: a page of, say, ICU that only this process mapped is shared with ps for that moment
                // (CI met 12 kB of a test host's). So USS may be lower than the kernel's reading without
                // ps, never higher, and by no more than ps's own libraries hold (2 MiB bounds them).
                Assert.True(ours[2] <= b[2] && b[2] - ours[2] <= 2048, what);
            }
            ulong pss = ours[1], low = Math.Min(b[1], after[1]), high = Math.Max(b[1], after[1]);
            ulong slack = Math.Max(2048, high / 10);
            Assert.True(pss + slack >= low && pss <= high + slack, what);
        }
        Assert.True(compared >= 5, $"only {compared} processes compared");
    }

    [Fact]
    public void KernelThreadsAreLeftOutAndUserProcessesAreIn()
    {
        var pids = Listed("--sort", "pid").Select(p => p.GetProperty("pid").GetInt32()).ToList();
        Assert.Equal(pids.Order(), pids);
        var (_, ps, _) = CliProcess.Run(["ps", "-eo", "pid=,ppid=,comm="]);
        foreach (var line in ps.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var f = line.Split(' ', 3, StringSplitOptions.RemoveEmptyEntries);
            int pid = int.Parse(f[0], CultureInfo.InvariantCulture);
            // kthreadd (pid 2) and its children are the kernel threads.
            if (pid == 2 || f[1] == "2") Assert.DoesNotContain(pid, pids);
        }
        Assert.Contains(Environment.ProcessId, pids); // this test host: a user process
    }

    [Fact]
    public void TheUserFilterTakesANameOrAUidAndAnUnknownUserIsExitTwo()
    {
        string name = UniqueName();
        using var specimen = Specimen.StartNamed(name);
        Assert.Single(Listed("--name", name, "--user", "root"));
        Assert.Single(Listed("--name", name, "--user", "0"));
        Assert.Empty(Listed("--name", name, "--user", "65534"));
        var (code, _, err) = RunningCli.Run(Bound, ["ps", "--user", "no-such-user-" + name]);
        Assert.Equal(2, code);
        Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void TheTextFitsEightyColumnsWithTheNameLast()
    {
        string name = UniqueName();
        using var specimen = Specimen.StartNamed(name);
        var (code, output, err) = RunningCli.Run(Bound, ["ps"]);
        Assert.True(code == 0, err);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.All(lines, line => Assert.True(line.Length <= 80, line));
        Assert.All(lines, line => Assert.Equal(line.TrimEnd(), line));
        Assert.Matches(@$"^\s*{specimen.Pid}\s+root\s+\S+\s+\S+\s+\S+\s+\S+\s+\S+\s+\d+\s+{name}$", lines.Single(l => l.EndsWith(name, StringComparison.Ordinal)));
    }
}
