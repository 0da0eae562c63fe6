using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace PageAtlas.Linux.Interop;

/// <summary>
/// The kernel companion's ABI, mirrored from kmod/pageatlas.h (the one definition: change both
/// together, and PAGEATLAS_ABI_VERSION with any layout change). Each ioctl number encodes its
/// structure's size (_IOR/_IOWR), so a layout that drifted fails with ENOTTY, never silently.
/// </summary>
internal static unsafe class CompanionAbi
{
    internal const uint Version = 1;
    internal const uint InfoPti = 1;
    internal const uint EntryRead = 1, EntryFolded = 2, EntryPresent = 4, EntryLeaf = 8;
    internal const ushort RecordTable = 1, RecordEntry = 2;
    internal const uint TablesMax = 1 << 20;
    internal const uint MaptestPfnOffset = 64, MaptestFillOffset = 128;
    internal const string MaptestMagic = "PageAtlas maptest page";

    // include/uapi/asm-generic/ioctl.h: direction (2 bits: 1 write, 2 read) | size (14) | type (8) | number (8)
    private static ulong Ioctl(ulong direction, ulong number, int size) => (direction << 30) | ((ulong)size << 16) | (0xA7UL << 8) | number;

    internal static readonly ulong IocInfo = Ioctl(2, 0, sizeof(Info));
    internal static readonly ulong IocWalk = Ioctl(3, 1, sizeof(Walk));
    internal static readonly ulong IocTables = Ioctl(3, 2, sizeof(Tables));

    [StructLayout(LayoutKind.Sequential)]
    internal struct Info
    {
        public uint AbiVersion, Levels;
        public ulong PageOffset, UserAddressEnd, MaptestPages;
        public uint Flags, Reserved;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct WalkLevel
    {
        public ulong TablePhysical, EntryPhysical, Entry;
        public uint Index, Flags;
    }

    [InlineArray(5)]
    internal struct WalkLevels
    {
        private WalkLevel _first;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct Walk
    {
        public uint AbiVersion;
        public int Pid;
        public ulong Address;
        public uint Levels, Outcome, StopLevel, Reserved;
        public ulong LeafSize, Physical, SwapType, SwapOffset;
        public WalkLevels Level;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct TableRecord
    {
        public ushort Kind, Level;
        public uint Index;
        public ulong Value, Address;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct Tables
    {
        public uint AbiVersion;
        public int Pid;
        public ulong Start, End, Records;
        public uint Capacity, Count;
    }
}
