using System.Runtime.InteropServices;

namespace PageAtlas.Tests.Cli;

/// <summary>peek's and poke's text at a terminal's width, on this process's own memory: every line within it, the bytes whole.</summary>
public class MemoryTextWidthTests
{
    [Theory]
    [InlineData(80)]
    [InlineData(120)]
    public void PeekAndPokeFitTheTerminal(int width)
    {
        nint buffer = Marshal.AllocHGlobal(64);
        try
        {
            for (int i = 0; i < 64; i++) Marshal.WriteByte(buffer, i, (byte)(0x41 + (i % 26)));
            var peek = InProcessCli.RunAt(width, "peek", "-p", $"{Environment.ProcessId}", $"0x{buffer:x}", "64");
            Assert.True(peek.Code == 0, peek.Err);
            Assert.All(peek.Out.Split('\n'), l => Assert.True(l.Length <= width, $"{l.Length} > {width}: {l}"));
            // Each byte of the hex dump is on some line, whole: "41 42 43" and the ASCII column's letters.
            Assert.Contains("41 42 43", peek.Out);
            var poke = InProcessCli.RunAt(width, "poke", "-p", $"{Environment.ProcessId}", $"0x{buffer:x}", "--u32", "0x5a5a5a5a", "--yes", "--force");
            Assert.True(poke.Code == 0, poke.Err);
            Assert.All(poke.Out.Split('\n'), l => Assert.True(l.Length <= width, $"{l.Length} > {width}: {l}"));
            Assert.Equal(0x5a5a5a5a, Marshal.ReadInt32(buffer));
        }
        finally
        {
            Marshal.FreeHGlobal(buffer);
        }
    }
}
