namespace PageAtlas.Paging;

/// <summary>The x86-64 page-table levels, from the root down.</summary>
public enum PageTableLevel
{
    /// <summary>Page Global Directory: the root (bits 48–56 on 5-level, 39–47 on 4-level).</summary>
    Pgd,
    /// <summary>Page 4th-level Directory: bits 39–47; folded into the PGD on 4-level paging.</summary>
    P4d,
    /// <summary>Page Upper Directory: bits 30–38; a leaf here maps 1 GiB.</summary>
    Pud,
    /// <summary>Page Middle Directory: bits 21–29; a leaf here maps 2 MiB.</summary>
    Pmd,
    /// <summary>Page Table: bits 12–20; each entry maps 4 KiB.</summary>
    Pte,
}
