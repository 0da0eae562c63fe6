namespace PageAtlas.Model;

/// <summary>
/// Which frame-level figures this reader can see, and why not. Presence and swap are always
/// visible; PFNs need CAP_SYS_ADMIN (otherwise the kernel reports them as 0); frame flags and
/// map counts need /proc/kpageflags and /proc/kpagecount.
/// </summary>
/// <param name="PfnsVisible">Pagemap shows real PFNs.</param>
/// <param name="FrameFlagsVisible">kpageflags and kpagecount are readable (and PFNs visible to look them up).</param>
/// <param name="Reason">Why some figure is missing; null when everything is visible.</param>
public sealed record FrameVisibility(bool PfnsVisible, bool FrameFlagsVisible, string? Reason)
{
    /// <summary>Everything visible.</summary>
    public static readonly FrameVisibility Full = new(true, true, null);
}
