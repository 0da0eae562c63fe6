namespace PageAtlas.Model;

/// <summary>A top-level physical address range of /proc/iomem.</summary>
/// <param name="Start">First byte.</param>
/// <param name="End">Last byte (inclusive, as the kernel prints it).</param>
/// <param name="Name">"System RAM", "Reserved", "PCI Bus 0000:00", "ACPI Tables"…</param>
public sealed record PhysicalRange(ulong Start, ulong End, string Name)
{
    /// <summary>Whether the range is RAM the kernel manages.</summary>
    public bool IsSystemRam => Name == "System RAM";
}
