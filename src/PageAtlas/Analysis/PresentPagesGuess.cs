using PageAtlas.Model;

namespace PageAtlas.Analysis;

/// <summary>
/// The room to give an array with one element per present page of a process, before reading it:
/// the resident size the process reports, an eighth more (pages arrive while it is read), bounded
/// both ways (a snapshot's figure is untrusted). Allocated uninitialised, room that stays unused is
/// never touched and costs no memory; growing by doubling from a small array instead held the old
/// array and one twice the needed size at once (48 MiB for the 1.07 million pages of 4 GiB, where
/// 16 MiB is the answer).
/// </summary>
internal static class PresentPagesGuess
{
    /// <summary>The most elements a first array gets; a process past it grows the array by doubling.</summary>
    public const ulong MaxInitialPages = 1 << 22;

    /// <summary>An uninitialised array with room for <paramref name="target"/>'s present pages, as it reports them.</summary>
    public static T[] ArrayFor<T>(IMemoryTarget target)
    {
        ulong resident = (target.Facts.ResidentBytes ?? 0) / (ulong)target.Machine.PageSize;
        return GC.AllocateUninitializedArray<T>((int)Math.Clamp(resident + resident / 8, 1024, MaxInitialPages));
    }
}
