using System.Runtime.InteropServices;

namespace PageAtlas.Cli;

/// <summary>
/// The size of the terminal on standard output, asked of the kernel (TIOCGWINSZ) rather than of
/// System.Console: Console.WindowWidth sets the terminal up for reading keys first and writes its
/// keypad sequence (ESC [?1h ESC =) to stdout, which would open every report on a terminal.
/// </summary>
internal static unsafe partial class TerminalWindow
{
    private const ulong TIOCGWINSZ = 0x5413; // include/uapi/asm-generic/ioctls.h (x86-64 and arm64 alike)

    /// <summary>struct winsize (include/uapi/asm-generic/termios.h).</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct WinSize
    {
        public ushort Rows, Columns, XPixels, YPixels;
    }

    /// <summary>The columns and rows of the terminal on <paramref name="fd"/> (standard output unless given); zeros when it is no terminal or the terminal does not say (a pseudo-terminal nobody sized).</summary>
    public static (int Columns, int Rows) Size(int fd = 1)
    {
        WinSize size;
        return ioctl(fd, TIOCGWINSZ, &size) == 0 ? (size.Columns, size.Rows) : (0, 0);
    }

    [LibraryImport("libc")]
    private static partial int ioctl(int fd, ulong request, void* argument);
}
