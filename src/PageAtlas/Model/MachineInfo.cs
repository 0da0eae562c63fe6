using PageAtlas.Paging;

namespace PageAtlas.Model;

/// <summary>The machine a target runs on, as far as page tables are concerned.</summary>
/// <param name="KernelRelease">uname -r.</param>
/// <param name="PageSize">Base page size in bytes.</param>
/// <param name="Paging">4- or 5-level paging.</param>
public sealed record MachineInfo(string KernelRelease, int PageSize, PagingMode Paging);
