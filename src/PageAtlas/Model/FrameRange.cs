namespace PageAtlas.Model;

/// <summary>A run of page frames [StartPfn, EndPfn).</summary>
/// <param name="StartPfn">The first frame.</param>
/// <param name="EndPfn">One past the last.</param>
public readonly record struct FrameRange(ulong StartPfn, ulong EndPfn)
{
    /// <summary>Frames in the run.</summary>
    public ulong Frames => EndPfn - StartPfn;
}
