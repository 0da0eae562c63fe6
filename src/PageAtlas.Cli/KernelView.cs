using PageAtlas.Linux;

namespace PageAtlas.Cli;

/// <summary>Whether a command shows the kernel companion's view: used whenever it is loaded and the target is a live process.</summary>
internal static class KernelView
{
    /// <summary>The companion, or null (user space only, a snapshot, not loaded); a companion that is loaded but unusable is warned about.</summary>
    public static KernelCompanion? Open(CliConsole console, IMemoryTarget target, bool userSpaceOnly)
    {
        if (userSpaceOnly || target is not LiveProcess) return null;
        var companion = KernelCompanion.TryOpen(out string? unavailable);
        if (companion is null && File.Exists(KernelCompanion.DevicePath)) console.Warn(unavailable!);
        return companion;
    }
}
