using System.Buffers.Binary;
using Microsoft.Data.Sqlite;
using PageAtlas.Analysis;
using PageAtlas.Model;
using PageAtlas.Rendering;
using PageAtlas.Snapshots;
using PageAtlas.Tests;

namespace PageAtlas.LiveTests;

/// <summary>
/// One flipped bit anywhere in a real snapshot (the SQLite header, the root page of every table and
/// index, page data, anywhere at all): every command that reads it gives exactly its original answer
/// or refuses the file by name with exit 10; never another exit code, never a hang, never more than
/// 300 MB. The specimen maps shared memory too, so the tables of what its objects hold are among
/// those places. The flips are drawn with a fixed seed, round robin over those places;
/// PAGEATLAS_FUZZ_CASES=N draws N of them (about 3 s each through the CLI).
/// </summary>
public sealed class SnapshotBitFlipTests : IDisposable
{
    private static readonly TimeSpan s_hangBound = TimeSpan.FromSeconds(60);
    private const long PeakBoundKilobytes = 300 * 1024;
    private readonly string _directory = Directory.CreateTempSubdirectory("pageatlas-bitflips").FullName;
    private static readonly string[] s_commands = ["maps", "pages", "composition", "physmap", "frames", "diff"];
    private readonly string _good, _after;

    /// <summary>A --frames snapshot of a specimen, and a second one a moment later for diff.</summary>
    public SnapshotBitFlipTests()
    {
        using var specimen = Specimen.Start("--thp", "--shared");
        _good = PathOf("good.db");
        _after = PathOf("after.db");
        foreach (string file in new[] { _good, _after })
        {
            var (code, _, err) = CliErrorTests.Run("snapshot", specimen.Pid.ToString(), "-o", file, "--frames");
            Assert.True(code == 0, err);
        }
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string PathOf(string name) => Path.Combine(_directory, name);

    [Fact]
    public void FlippedBitsNeverChangeAnAnswerSilently()
    {
        using var later = Snapshot.Open(_after);
        using var after = later.OpenOnlyProcess();
        var original = Answers(_good, later, after);
        Assert.DoesNotContain(null, original.Values);
        string flipped = PathOf("flipped.db");
        int refusals = 0;
        foreach (long bit in FlipBits(_good, FuzzCases.Count(100)))
        {
            Flip(_good, flipped, bit);
            foreach (var (command, answer) in Answers(flipped, later, after))
            {
                if (answer is null) refusals++;
                else Assert.True(answer == original[command], $"flipping bit {bit} (byte 0x{bit / 8:x}) changed what {command} says");
            }
        }
        Assert.True(refusals > 0, "no flip was noticed: the flips missed what the commands read");
    }

    [Fact]
    public void TheCliGivesTheOriginalAnswerOrExit10WithinBounds()
    {
        string flipped = PathOf("flipped.db");
        string[][] Commands(string file) =>
        [
            ["maps", "--snapshot", file, "--json"], ["pages", "--snapshot", file, "--json"], ["composition", "--snapshot", file, "--json"],
            ["physmap", "--snapshot", file, "--json"], ["frames", "--snapshot", file, "--json"], ["diff", file, _after, "--json"],
        ];
        var original = Commands(_good).Select(args => MeasuredCli.Run(s_hangBound, args)).ToArray();
        foreach (var run in original) Assert.True(run.Code == 0, run.Err);
        foreach (long bit in FlipBits(_good, FuzzCases.Count(6)))
        {
            Flip(_good, flipped, bit);
            var commands = Commands(flipped);
            for (int c = 0; c < commands.Length; c++)
            {
                var run = MeasuredCli.Run(s_hangBound, commands[c]);
                string what = $"{string.Join(' ', commands[c])} with bit {bit} (byte 0x{bit / 8:x}) flipped";
                Assert.False(run.TimedOut, $"{what} hangs");
                Assert.True(run.PeakKilobytes is > 0 and < PeakBoundKilobytes, $"{what} peaks at {run.PeakKilobytes} kB");
                if (run.Code == 0)
                {
                    Assert.True(run.Out == original[c].Out, $"{what} changed its answer");
                    continue;
                }
                Assert.True(run.Code == 10, $"{what} exits {run.Code}: {run.Err}");
                Assert.Single(run.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
                Assert.Contains(flipped, run.Err);
            }
        }
    }

    /// <summary>
    /// What each command answers, rendered as its JSON; null where it refuses the file by name. The
    /// file is opened once: a command opens it first, and opening refuses a file or not whatever follows.
    /// </summary>
    private static Dictionary<string, string?> Answers(string file, Snapshot later, IMemoryTarget after)
    {
        Snapshot snapshot;
        try
        {
            snapshot = Snapshot.Open(file);
        }
        catch (SnapshotFormatException e) when (e.Message.Contains(file, StringComparison.Ordinal))
        {
            return s_commands.ToDictionary(c => c, _ => (string?)null);
        }
        using (snapshot)
        {
            string? Answer(Func<IMemoryTarget, string> answer)
            {
                try
                {
                    using var target = snapshot.OpenOnlyProcess();
                    return answer(target);
                }
                catch (SnapshotFormatException e) when (e.Message.Contains(file, StringComparison.Ordinal))
                {
                    return null;
                }
            }
            return new Dictionary<string, string?>
            {
                ["maps"] = Answer(t => SnapshotTests.Json(w => ResidencyJson.Write(w, Residency.Measure(t), t.Visibility))),
                ["pages"] = Answer(t => string.Join('\n', SharedMemoryPages.Read(t, 0, ulong.MaxValue, PageReadOptions.PopulatedWithFrames).SelectMany(b => b.Pages.ToArray()))
                    + string.Join('\n', t.Vmas.SelectMany(v => t.SharedObjectPages(v, v.Vma.Start, v.Vma.End))) + t.SharedMemorySwap.SwapActive),
                ["composition"] = Answer(t => SnapshotTests.Json(w => CompositionJson.Write(w, Composition.Measure(t)))),
                ["physmap"] = Answer(_ => SnapshotTests.Json(w => PhysicalMapJson.Write(w, PhysicalMap.Draw(snapshot.Frames)))),
                ["frames"] = Answer(_ => SnapshotTests.Json(w => FrameCensusJson.Write(w, FrameCensus.Take(snapshot.Frames, FrameFilter.All), snapshot.Machine.KernelRelease))),
                ["diff"] = Answer(t => string.Join('\n', SnapshotComparison.Doubts(snapshot, t, later, after))
                    + SnapshotTests.Json(w => MemoryDiffJson.Write(w, MemoryDiff.Compare(t, after)))),
            };
        }
    }

    /// <summary>
    /// Bits to flip, round robin over places that matter: the root pages of the VMAs, meta, the
    /// physical map and the processes, the first bytes of each chunk of page data, anywhere in the
    /// file, the SQLite header, and then every other table's and index's root page. Drawn with a fixed seed.
    /// </summary>
    private static List<long> FlipBits(string file, int count)
    {
        long length = new FileInfo(file).Length;
        var places = new List<(long Start, long End)>();
        using (var connection = new SqliteConnection($"Data Source={file};Mode=ReadOnly;Pooling=False"))
        {
            connection.Open();
            byte[] bytes = File.ReadAllBytes(file);
            int pageSize = BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan(16)) is var size && size == 1 ? 65536 : size;
            var roots = new Dictionary<string, long>();
            using (var read = connection.CreateCommand())
            {
                read.CommandText = "SELECT name, rootpage FROM sqlite_master WHERE rootpage > 0";
                using var reader = read.ExecuteReader();
                while (reader.Read()) roots[reader.GetString(0)] = reader.GetInt64(1);
            }
            (long, long) Root(string name) => ((roots[name] - 1) * pageSize, roots[name] * pageSize);
            var chunks = new List<(long, long)>();
            using (var read = connection.CreateCommand())
            {
                read.CommandText = "SELECT data FROM pages WHERE length(data) >= 16";
                using var reader = read.ExecuteReader();
                while (reader.Read())
                {
                    byte[] data = (byte[])reader[0];
                    int at = bytes.AsSpan().IndexOf(data.AsSpan(0, 16));
                    if (at > 0) chunks.Add((at, at + 16));
                }
            }
            Assert.NotEmpty(chunks);
            using (var runs = connection.CreateCommand())
            {
                // The specimen's System V, POSIX, memfd and shared anonymous pages: one run each in its object.
                runs.CommandText = "SELECT count(*) FROM shared_object_pages";
                Assert.True((long)runs.ExecuteScalar()! >= 4, "the snapshot holds no shared-memory runs for the flips to hit");
            }
            string[] answering = ["vmas", "meta", "physmap_cells", "processes", "shared_object_pages"];
            places.Add(Root("vmas"));
            places.Add((-1, -1));   // page data: one chunk after another
            places.AddRange(answering.Skip(1).Select(Root));
            places.Add((0, length));
            places.Add((0, 100));   // the SQLite header
            places.AddRange(roots.Keys.Except(answering).Order().Select(Root));
            var random = new Random(20251129);
            var bits = new List<long>(count);
            for (int i = 0; i < count; i++)
            {
                var (start, end) = places[i % places.Count];
                if (start < 0) (start, end) = chunks[i / places.Count % chunks.Count];
                bits.Add(random.NextInt64(start, Math.Min(end, length)) * 8 + random.Next(8));
            }
            return bits;
        }
    }

    private static void Flip(string source, string destination, long bit)
    {
        byte[] bytes = File.ReadAllBytes(source);
        bytes[bit / 8] ^= (byte)(1 << (int)(bit % 8));
        File.WriteAllBytes(destination, bytes);
    }
}
