namespace PageAtlas.Model;

/// <summary>
/// A VMA with the segment class PageAtlas gave it. A live process classifies its VMAs only when
/// a class is first asked for (it reads every thread's stack pointer and the ELF headers of the
/// mapped objects), so a walk that needs no classes does not pay for them.
/// </summary>
public sealed class ClassifiedVma
{
    private readonly SegmentClass _class;
    private readonly string? _note;
    private readonly Lazy<VmaClasses>? _deferred;
    private readonly int _index;

    /// <summary>A VMA whose class is known, with a note on it (or none).</summary>
    public ClassifiedVma(Vma vma, SegmentClass segmentClass, string? note = null)
    {
        Vma = vma;
        _class = segmentClass;
        _note = note;
    }

    /// <summary>A VMA whose class is entry <paramref name="index"/> of a classification made on first use.</summary>
    internal ClassifiedVma(Vma vma, Lazy<VmaClasses> classes, int index)
    {
        Vma = vma;
        _deferred = classes;
        _index = index;
    }

    /// <summary>The area as /proc/&lt;pid&gt;/maps lists it.</summary>
    public Vma Vma { get; }

    /// <summary>What it holds.</summary>
    public SegmentClass Class => _deferred is null ? _class : _deferred.Value.Classes[_index];

    /// <summary>What went wrong while classifying it (its file's ELF headers could not be used), or null.</summary>
    public string? Note => _deferred is null ? _note : _deferred.Value.Notes[_index];

    /// <summary>"heap 55d1c8a00000-55d1c8a21000 rw-p …"</summary>
    public override string ToString() => $"{Class} {Vma.ToMapsLine()}";
}
