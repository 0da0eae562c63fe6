namespace PageAtlas.Model;

/// <summary>What the shared-memory object behind a VMA holds at one page's offset.</summary>
public enum ObjectPageState : byte
{
    /// <summary>Nothing known or nothing held: no shared-memory object, a hole in it, or a page read without asking the object.</summary>
    None,
    /// <summary>The object has the page in RAM (its page cache).</summary>
    Resident,
    /// <summary>The object has the page in swap: its page-cache slot holds the swap entry.</summary>
    Swapped,
}

/// <summary>Consecutive pages of one VMA that its shared-memory object holds the same way.</summary>
/// <param name="Start">Virtual address of the first page.</param>
/// <param name="Pages">How many pages.</param>
/// <param name="State">Resident or swapped.</param>
public readonly record struct ObjectPageRun(ulong Start, ulong Pages, ObjectPageState State)
{
    /// <summary>One past the last byte, for pages of <paramref name="pageSize"/> bytes.</summary>
    public ulong End(int pageSize) => Start + Pages * (ulong)pageSize;
}
