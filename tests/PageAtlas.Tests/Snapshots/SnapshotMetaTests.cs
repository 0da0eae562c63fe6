using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using PageAtlas.Snapshots;

namespace PageAtlas.Tests;

/// <summary>
/// The meta table of a snapshot: a valid one is read as written; any other (values replaced by
/// arbitrary text or numbers, keys dropped or added) is read to values a machine can have or refused
/// with the snapshot's own error naming the table and the key.
/// </summary>
public sealed class SnapshotMetaTests
{
    private static Dictionary<string, string> Valid(bool frames)
    {
        var meta = new Dictionary<string, string>
        {
            ["format"] = "pageatlas-snapshot", ["version"] = SnapshotFormat.Version.ToString(CultureInfo.InvariantCulture), ["created"] = "2025-11-29T16:26:01.1234567+01:00", ["host"] = "atlas",
            ["kernel"] = "6.18.0-1-amd64", ["boot_id"] = "0f6cbb3e-76a2-4b9f-9d0c-4f4c1d1b2a3c", ["page_size"] = "4096", ["paging_levels"] = "5",
            ["frames"] = frames ? "1" : "0",
        };
        if (frames)
        {
            meta["census_start"] = "0";
            meta["census_end"] = meta["frame_limit"] = "1048576";
            meta["frames_per_cell"] = "1024";
        }
        return meta;
    }

    [Fact]
    public void AValidTableIsReadAsWritten()
    {
        var meta = SnapshotMeta.Parse(Valid(frames: true));
        Assert.Equal((4096, 5, "6.18.0-1-amd64", "atlas"), (meta.Machine.PageSize, meta.Machine.Paging.Levels, meta.Machine.KernelRelease, meta.Host));
        Assert.Equal(new SavedFrameLimits(0, 1048576, 1048576, 1024), meta.Frames);
        Assert.Null(SnapshotMeta.Parse(Valid(frames: false)).Frames);
    }

    [Theory]
    [InlineData("page_size", "abc", "page_size is 'abc'")]
    [InlineData("page_size", "65536", "pages are 4096 bytes")]
    [InlineData("paging_levels", "7", "paging_levels is '7', not a number from 4 to 5")]
    [InlineData("version", "1", "version is 1")]
    [InlineData("version", "2", "version is 2")]
    [InlineData("frames", "2", "frames is '2'")]
    [InlineData("created", "yesterday", "created is 'yesterday'")]
    [InlineData("boot_id", "not-a-uuid", "boot_id")]
    [InlineData("frame_limit", "4503599627370497", "frame_limit")]
    [InlineData("census_end", "1048577", "census_end")]
    [InlineData("frames_per_cell", "1000", "not a power of two")]
    public void AnImpossibleValueIsRefusedByName(string key, string value, string words)
    {
        var meta = Valid(frames: true);
        meta[key] = value;
        var e = Assert.Throws<SnapshotContentException>(() => SnapshotMeta.Parse(meta));
        Assert.Equal("meta", e.Table);
        Assert.Contains(words, e.Message);
    }

    [Fact]
    public void AMissingOrUnknownKeyIsRefusedByName()
    {
        var missing = Valid(frames: true);
        missing.Remove("frame_limit");
        Assert.Contains("'frame_limit' is missing", Assert.Throws<SnapshotContentException>(() => SnapshotMeta.Parse(missing)).Message);
        var unknown = Valid(frames: false);
        unknown["colour"] = "blue";
        Assert.Contains("'colour' is not part of format version 3", Assert.Throws<SnapshotContentException>(() => SnapshotMeta.Parse(unknown)).Message);
    }

    [Fact]
    public void ArbitraryValuesAreReadToPossibleValuesOrRefused()
    {
        var keys = Valid(frames: true).Keys.Append("extra").ToArray();
        var values = Gen.OneOf(
            ArbMap.Default.GeneratorFor<string>().Where(s => s is not null),
            ArbMap.Default.GeneratorFor<ulong>().Select(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            Gen.Elements("0", "1", "4", "5", "4096", "-1", "", " 4096", "4096 ", "1e3", "0x1000"));
        var cases = from frames in ArbMap.Default.GeneratorFor<bool>()
                    from changes in Gen.ListOf(Gen.Zip(Gen.Elements(keys), Gen.OneOf(values.Select(v => (string?)v), Gen.Constant((string?)null))))
                    select (frames, changes);
        Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var meta = Valid(c.frames);
            foreach (var (key, value) in c.changes)
            {
                if (value is null) meta.Remove(key);
                else meta[key] = value;
            }
            ReadsToPossibleValuesOrIsRefused(meta);
        }).Check(FuzzCases.Config(1000));
    }

    private static void ReadsToPossibleValuesOrIsRefused(Dictionary<string, string> meta)
    {
        SnapshotMeta parsed;
        try
        {
            parsed = SnapshotMeta.Parse(meta);
        }
        catch (SnapshotContentException e)
        {
            Assert.Equal("meta", e.Table);
            return;
        }
        Assert.Equal(4096, parsed.Machine.PageSize);
        Assert.True(parsed.Machine.Paging.Levels is 4 or 5, $"{parsed.Machine.Paging.Levels} paging levels");
        Assert.True(parsed.Host.Length <= 64 && parsed.Machine.KernelRelease.Length <= 64);
        if (parsed.Frames is { } f)
        {
            Assert.True(f.CensusStart <= f.CensusEnd && f.CensusEnd <= f.FrameLimit && f.FrameLimit <= MachineLimits.FrameLimit);
            Assert.True(System.Numerics.BitOperations.IsPow2(f.FramesPerCell));
        }
    }
}
