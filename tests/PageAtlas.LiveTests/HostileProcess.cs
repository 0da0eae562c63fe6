using System.Text;
using PageAtlas.Labs;

namespace PageAtlas.LiveTests;

/// <summary>
/// A running specimens/out/hostile: named with ESC sequences, CR and LF; a FIFO and a symlink at the
/// paths of deleted mappings; a crafted ELF; files named with invalid UTF-8, a newline, a
/// " (deleted)" lookalike and escape sequences (see specimens/hostile.c); or, with mode "fifo" or
/// "elf", only the FIFO and symlink tricks or only the crafted ELF files, under a plain name.
/// Disposing ends it and removes its directory.
/// </summary>
public sealed class HostileProcess : IDisposable
{
    private readonly SpecimenProcess _specimen;

    /// <summary>Where its files are.</summary>
    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("pageatlas-hostile").FullName;

    /// <summary>Each mapping's address: fifo, link, crafted, absurd, odd, escape, backslash, comm-text.</summary>
    public Dictionary<string, ulong> Mappings { get; } = [];

    public int Pid => _specimen.Pid;

    /// <summary>Its name, read from /proc/PID/comm here, not through PageAtlas.</summary>
    public string Command { get; }

    public HostileProcess() : this("all") { }

    public HostileProcess(string mode)
    {
        Specimen.BinaryPath("hostile");
        _specimen = SpecimenProcess.Start("hostile", Directory, mode);
        try
        {
            foreach (var (name, fact) in _specimen.Facts) Mappings[name] = fact.Address;
            Assert.True(Mappings.Count == (mode == "all" ? 8 : 2), "the hostile specimen did not get ready");
            byte[] comm = File.ReadAllBytes($"/proc/{Pid}/comm");
            Command = Encoding.UTF8.GetString(comm, 0, comm.Length - 1);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>The path of one of its files, as it created it.</summary>
    public string PathOf(string name) => Path.Combine(Directory, name);

    /// <summary>The frame of the page at <paramref name="address"/>, read from /proc/PID/pagemap here.</summary>
    public ulong FrameOf(ulong address) => PagemapFile.FrameOf(Pid, address);

    /// <summary>Closes its stdin, so that it removes its files (.NET cannot name those that are not UTF-8) and exits; then removes the directory.</summary>
    public void Dispose()
    {
        _specimen.Dispose();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
