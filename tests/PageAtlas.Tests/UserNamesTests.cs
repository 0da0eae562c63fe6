using PageAtlas.Linux;

namespace PageAtlas.Tests;

/// <summary>/etc/passwd as the process list reads it at every server reading.</summary>
public class UserNamesTests
{
    /// <summary>
    /// Names come from the file, and reading it allocates about the file's size, not the 4 MiB bound:
    /// a server reads it at every process reading (bench/exporter.sh's alloc column was 4.4 MiB a
    /// reading of 100 processes when the bound was allocated each time). Allocation is counted on this
    /// thread only, so other tests running meanwhile do not move it.
    /// </summary>
    [Fact]
    public void ReadingPasswdAllocatesAboutItsSizeNotTheBound()
    {
        string passwd = Path.Combine(Path.GetTempPath(), $"pageatlas-passwd-{Guid.NewGuid():N}");
        File.WriteAllText(passwd, "root:x:0:0:root:/root:/bin/sh\nann:x:1000:1000::/home/ann:/bin/sh\n");
        try
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            var users = UserNames.Read(passwd);
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.Equal("ann", users.NameOf(1000));
            Assert.Equal("1234", users.NameOf(1234));
            Assert.True(allocated < 64 * 1024, $"reading a 2-line passwd allocated {allocated} bytes");
        }
        finally
        {
            File.Delete(passwd);
        }
    }
}
