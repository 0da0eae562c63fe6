using System.Globalization;

namespace PageAtlas.Linux;

/// <summary>
/// /proc/&lt;pid&gt;/mountinfo, for one question: which devices are tmpfs mounts, whose files are
/// shared-memory objects (shmem) that can hold pages in swap. A line is
/// <code>
/// 25 24 0:23 / /dev/shm rw,relatime - tmpfs tmpfs rw,size=24684084k
/// id parent major:minor root mount-point options [optional fields…] - fstype source super-options
/// </code>
/// The mount point escapes spaces (\040), so " - " only ever separates the optional fields from the rest.
/// </summary>
public static class ProcMountinfo
{
    /// <summary>The (major, minor) device numbers of every tmpfs mount listed in <paramref name="mountinfo"/>.</summary>
    public static HashSet<(uint Major, uint Minor)> TmpfsDevices(string mountinfo)
    {
        var devices = new HashSet<(uint, uint)>();
        foreach (var line in mountinfo.AsSpan().EnumerateLines())
        {
            int separator = line.IndexOf(" - ");
            if (separator < 0) continue;
            var rest = line[(separator + 3)..];
            int space = rest.IndexOf(' ');
            if (!(space < 0 ? rest : rest[..space]).SequenceEqual("tmpfs")) continue;
            // The third field: skip the mount id and the parent id.
            var fields = line[..separator];
            for (int skip = 0; skip < 2; skip++)
            {
                int next = fields.IndexOf(' ');
                if (next < 0) break;
                fields = fields[(next + 1)..];
            }
            int end = fields.IndexOf(' ');
            var device = end < 0 ? fields : fields[..end];
            int colon = device.IndexOf(':');
            if (colon > 0 && uint.TryParse(device[..colon], NumberStyles.None, CultureInfo.InvariantCulture, out uint major)
                && uint.TryParse(device[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out uint minor))
                devices.Add((major, minor));
        }
        return devices;
    }
}
