using PageAtlas.Analysis;

namespace PageAtlas.Tests;

/// <summary>
/// The frames note comparing MemFree with the buddy allocator's free pages says which is larger.
/// Before: a MemFree below them read "MemFree exceeds the buddy allocator's free pages by -36 kB".
/// </summary>
public sealed class FreeDifferenceNoteTests
{
    [Fact]
    public void MoreThanTheBuddyAllocatorExceedsIt() =>
        Assert.Equal("MemFree exceeds the buddy allocator's free pages by 36 kB", FrameCensus.FreeDifference(36 * 1024));

    [Fact]
    public void LessThanTheBuddyAllocatorIsBelowIt()
    {
        string note = FrameCensus.FreeDifference(-36 * 1024);
        Assert.StartsWith("MemFree is 36 kB below the buddy allocator's free pages", note, StringComparison.Ordinal);
        Assert.DoesNotContain("exceeds", note, StringComparison.Ordinal);
        Assert.DoesNotContain("-", note, StringComparison.Ordinal);
    }

    [Fact]
    public void NoDifferenceIsEqual() =>
        Assert.Equal("MemFree equals the buddy allocator's free pages", FrameCensus.FreeDifference(0));
}
