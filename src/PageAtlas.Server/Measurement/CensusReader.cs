using PageAtlas.Analysis;
using PageAtlas.Linux;
using PageAtlas.Model;

namespace PageAtlas.Server.Measurement;

/// <summary>
/// The machine's frame census, as `pageatlas frames` takes it: kpageflags and kpagecount for every
/// frame (about 0.9 s of kernel time for 24 GiB). Not root, or a kernel without kpageflags: no
/// census (null), counted as an error, and the process figures still answer.
/// </summary>
internal sealed class CensusReader
{
    private long _errors;

    /// <summary>Censuses that failed since the server started.</summary>
    public long Errors => Interlocked.Read(ref _errors);

    /// <summary>Takes the census now, or null when it cannot be taken.</summary>
    public FrameCensusReport? Take()
    {
        try
        {
            using var frames = new LiveFrameSource();
            return FrameCensus.Take(frames, FrameFilter.All);
        }
        catch (PageAtlasException)
        {
            Interlocked.Increment(ref _errors);
            return null;
        }
    }
}
