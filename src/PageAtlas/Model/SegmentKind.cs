namespace PageAtlas.Model;

/// <summary>What a VMA holds, in the terms seed 004 uses (code, data, bss, heap, stacks, libraries…).</summary>
public enum SegmentKind
{
    /// <summary>The executable's code (PT_LOAD with PF_X; contains start_code..end_code).</summary>
    Code,
    /// <summary>The executable's read-only data (ELF headers, .rodata, RELRO after relocation).</summary>
    ReadOnlyData,
    /// <summary>The executable's initialised data (file-backed part of the writable PT_LOAD).</summary>
    Data,
    /// <summary>The executable's bss (the writable PT_LOAD past p_filesz, zero-filled).</summary>
    Bss,
    /// <summary>The brk heap, from start_brk.</summary>
    Heap,
    /// <summary>The main thread's stack.</summary>
    MainStack,
    /// <summary>The stack of another thread (holds that thread's stack pointer).</summary>
    ThreadStack,
    /// <summary>An inaccessible page below a thread stack or a reservation (---p).</summary>
    Guard,
    /// <summary>A shared library's code.</summary>
    LibraryCode,
    /// <summary>A shared library's read-only data.</summary>
    LibraryReadOnlyData,
    /// <summary>A shared library's initialised data.</summary>
    LibraryData,
    /// <summary>A shared library's bss.</summary>
    LibraryBss,
    /// <summary>[vdso]: kernel code mapped into every process.</summary>
    Vdso,
    /// <summary>[vvar] and [vvar_vclock]: kernel data read by the vDSO.</summary>
    Vvar,
    /// <summary>[vsyscall]: the legacy fixed page above user space.</summary>
    Vsyscall,
    /// <summary>A System V shared memory segment (shmat).</summary>
    SysVShm,
    /// <summary>A POSIX shared memory object (shm_open, under /dev/shm).</summary>
    PosixShm,
    /// <summary>A memfd_create file.</summary>
    Memfd,
    /// <summary>Shared anonymous memory (MAP_SHARED|MAP_ANONYMOUS, shown as /dev/zero).</summary>
    SharedAnonymous,
    /// <summary>Any other mapped file.</summary>
    FileMapping,
    /// <summary>Private anonymous memory (malloc arenas, mmap, named [anon:…] areas).</summary>
    AnonymousMapping,
    /// <summary>Another kernel-provided area ([uprobes]…).</summary>
    Special,
}
