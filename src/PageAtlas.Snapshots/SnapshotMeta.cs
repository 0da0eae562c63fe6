using System.Globalization;
using System.Numerics;
using PageAtlas.Model;
using PageAtlas.Paging;

namespace PageAtlas.Snapshots;

/// <summary>The frame figures a snapshot taken with --frames keeps in meta.</summary>
/// <param name="CensusStart">First frame of the census.</param>
/// <param name="CensusEnd">One past its last frame.</param>
/// <param name="FrameLimit">max_pfn: one past the machine's last frame.</param>
/// <param name="FramesPerCell">Frames per cell of the physical map (a power of two).</param>
internal sealed record SavedFrameLimits(ulong CensusStart, ulong CensusEnd, ulong FrameLimit, ulong FramesPerCell);

/// <summary>
/// The meta table of a snapshot of this format version, checked: every key present, none unknown,
/// each value within what a machine can have (<see cref="MachineLimits"/>).
/// </summary>
/// <param name="Created">When it was taken.</param>
/// <param name="Host">The host name.</param>
/// <param name="BootId">The boot it was taken in (/proc/sys/kernel/random/boot_id): frames and pids mean nothing across boots.</param>
/// <param name="Machine">Kernel release, page size and paging mode.</param>
/// <param name="Frames">The frame figures, when taken with --frames.</param>
internal sealed record SnapshotMeta(DateTimeOffset Created, string Host, Guid BootId, MachineInfo Machine, SavedFrameLimits? Frames)
{
    private const string Table = "meta";
    private static readonly string[] s_keys = ["format", "version", "created", "host", "kernel", "boot_id", "page_size", "paging_levels", "frames"];
    private static readonly string[] s_frameKeys = ["census_start", "census_end", "frame_limit", "frames_per_cell"];

    /// <summary>Checks and converts the key/value pairs of a meta table.</summary>
    /// <exception cref="SnapshotContentException">A key is missing or unknown, or a value is malformed or impossible.</exception>
    public static SnapshotMeta Parse(IReadOnlyDictionary<string, string> meta)
    {
        foreach (string key in s_keys)
            if (!meta.ContainsKey(key)) throw Invalid($"'{key}' is missing");
        if (meta["format"] != SnapshotFormat.FormatName) throw Invalid($"format is '{Shown(meta["format"])}', not '{SnapshotFormat.FormatName}'");
        if (Number(meta, "version", 0, ulong.MaxValue) != SnapshotFormat.Version) throw Invalid($"version is {meta["version"]}, not {SnapshotFormat.Version}");
        if (!DateTimeOffset.TryParseExact(meta["created"], "O", CultureInfo.InvariantCulture, DateTimeStyles.None, out var created))
            throw Invalid($"created is '{Shown(meta["created"])}', not a date and time");
        string host = Text(meta, "host"), kernel = Text(meta, "kernel");
        if (!Guid.TryParseExact(meta["boot_id"], "D", out var bootId)) throw Invalid($"boot_id is '{Shown(meta["boot_id"])}', not a boot id");
        if (meta["page_size"] != MachineLimits.PageSize.ToString(CultureInfo.InvariantCulture))
            throw Invalid($"page_size is '{Shown(meta["page_size"])}': PageAtlas reads snapshots of x86-64 machines, whose pages are {MachineLimits.PageSize} bytes");
        int levels = (int)Number(meta, "paging_levels", 4, 5);
        var machine = new MachineInfo(kernel, MachineLimits.PageSize, levels == 5 ? PagingMode.FiveLevel : PagingMode.FourLevel);
        bool frames = Number(meta, "frames", 0, 1) == 1;
        Require(meta, frames ? [.. s_keys, .. s_frameKeys] : s_keys);
        if (!frames) return new SnapshotMeta(created, host, bootId, machine, null);
        ulong limit = Number(meta, "frame_limit", 1, MachineLimits.FrameLimit);
        ulong end = Number(meta, "census_end", 0, limit);
        ulong start = Number(meta, "census_start", 0, end);
        ulong perCell = Number(meta, "frames_per_cell", 1, MachineLimits.FrameLimit);
        if (!BitOperations.IsPow2(perCell)) throw Invalid($"frames_per_cell is {perCell}, not a power of two");
        return new SnapshotMeta(created, host, bootId, machine, new SavedFrameLimits(start, end, limit, perCell));
    }

    /// <summary>Every key of <paramref name="keys"/> is there, and no other.</summary>
    private static void Require(IReadOnlyDictionary<string, string> meta, string[] keys)
    {
        foreach (string key in keys)
            if (!meta.ContainsKey(key)) throw Invalid($"'{key}' is missing");
        if (meta.Keys.FirstOrDefault(k => !keys.Contains(k)) is { } unknown)
            throw Invalid($"'{Shown(unknown)}' is not part of format version {SnapshotFormat.Version}");
    }

    private static ulong Number(IReadOnlyDictionary<string, string> meta, string key, ulong min, ulong max)
    {
        string value = meta[key];
        return ulong.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out ulong number) && number >= min && number <= max
            ? number
            : throw Invalid($"{key} is '{Shown(value)}', not a number from {min} to {max}");
    }

    /// <summary>A host name or kernel release: uname's fields are at most 64 characters.</summary>
    private static string Text(IReadOnlyDictionary<string, string> meta, string key) =>
        meta[key].Length <= MachineLimits.UtsLength ? meta[key] : throw Invalid($"{key} is {meta[key].Length} characters long, more than uname allows ({MachineLimits.UtsLength})");

    /// <summary>A value as an error message may quote it: not longer than a line.</summary>
    internal static string Shown(string value) => value.Length <= 40 ? value : value[..40] + "…";

    private static SnapshotContentException Invalid(string message) => new(Table, message);
}
