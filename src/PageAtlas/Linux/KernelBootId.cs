namespace PageAtlas.Linux;

/// <summary>
/// /proc/sys/kernel/random/boot_id: a random UUID the kernel draws once per boot
/// (drivers/char/random.c, proc_do_uuid). Frame numbers and pids mean the same thing only within one boot.
/// </summary>
internal static class KernelBootId
{
    private const string Path = "/proc/sys/kernel/random/boot_id";

    /// <summary>This boot's id.</summary>
    /// <exception cref="KernelDataException">The file is missing or not a UUID.</exception>
    public static Guid Read() => Guid.TryParseExact((ProcFs.TryReadText(Path) ?? "").Trim(), "D", out var id)
        ? id
        : throw new KernelDataException($"{Path}: expected a UUID");
}
