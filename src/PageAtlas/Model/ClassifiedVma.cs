namespace PageAtlas.Model;

/// <summary>
/// A VMA with the segment class PageAtlas gave it. A live process classifies its VMAs only when
/// a class is first asked for (it reads every thread's stack pointer and the ELF headers of the
/// mapped objects), so a walk that needs no classes does not pay for them.
/// </summary>
public sealed class ClassifiedVma
{
    private readonly SegmentClass _class;
    private readonly Lazy<IReadOnlyList<SegmentClass>>? _deferred;
    private readonly int _index;

    /// <summary>A VMA whose class is known.</summary>
    public ClassifiedVma(Vma vma, SegmentClass segmentClass)
    {
        Vma = vma;
        _class = segmentClass;
    }

    /// <summary>A VMA whose class is entry <paramref name="index"/> of a classification made on first use.</summary>
    internal ClassifiedVma(Vma vma, Lazy<IReadOnlyList<SegmentClass>> classes, int index)
    {
        Vma = vma;
        _deferred = classes;
        _index = index;
    }

    /// <summary>The area as /proc/&lt;pid&gt;/maps lists it.</summary>
    public Vma Vma { get; }

    /// <summary>What it holds.</summary>
    public SegmentClass Class => _deferred is null ? _class : _deferred.Value[_index];

    /// <summary>"heap 55d1c8a00000-55d1c8a21000 rw-p …"</summary>
    public override string ToString() => $"{Class} {Vma.ToMapsLine()}";
}
