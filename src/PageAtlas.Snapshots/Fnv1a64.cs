namespace PageAtlas.Snapshots;

/// <summary>
/// FNV-1a, 64 bits: the checksum of a snapshot's page chunks and tables. It guards against damage,
/// not forgery (whoever can write the file can recompute it), and it catches every changed byte in
/// input of the same length for certain: each step h → (h ⊕ b) × prime is a bijection of h for a
/// given b and of b for a given h, so two inputs that differ anywhere never meet again.
/// </summary>
internal struct Fnv1a64
{
    private const ulong OffsetBasis = 14695981039346656037UL, Prime = 1099511628211UL;
    private ulong _hash;

    public Fnv1a64() => _hash = OffsetBasis;

    public void Add(ReadOnlySpan<byte> data)
    {
        ulong hash = _hash;
        foreach (byte b in data) hash = unchecked((hash ^ b) * Prime); // FNV multiplies modulo 2^64
        _hash = hash;
    }

    public void Add(byte value) => _hash = unchecked((_hash ^ value) * Prime);

    /// <summary>Adds the 8 bytes of <paramref name="value"/>, least significant first (little-endian).</summary>
    public void Add(long value)
    {
        // FNV multiplies modulo 2^64 and reads a negative value's bits: unchecked, also in Debug's checked builds.
        ulong hash = _hash, bytes = unchecked((ulong)value);
        for (int i = 0; i < sizeof(long); i++, bytes >>= 8) hash = unchecked((hash ^ (byte)bytes) * Prime);
        _hash = hash;
    }

    /// <summary>The checksum so far, as SQLite stores it (the same 64 bits, signed).</summary>
    public readonly long Value => unchecked((long)_hash);

    /// <summary>The checksum of <paramref name="data"/>.</summary>
    public static long Of(ReadOnlySpan<byte> data)
    {
        var hash = new Fnv1a64();
        hash.Add(data);
        return hash.Value;
    }
}
