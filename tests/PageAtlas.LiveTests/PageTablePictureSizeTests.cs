namespace PageAtlas.LiveTests;

/// <summary>
/// A picture of a big process: refused with one line that says how big it would be and how to
/// narrow it, never a file no viewer opens.
/// </summary>
public class PageTablePictureSizeTests
{
    [SkippableFact]
    public void FullPictureOfA4GibProcessIsRefusedWithHowToNarrowIt()
    {
        using var specimen = Specimen.Start("--touch-mib", "4096");
        string directory = Directory.CreateTempSubdirectory("pageatlas-full").FullName;
        string svg = Path.Combine(directory, "tree.svg");
        try
        {
            var (code, stdout, err) = CliErrorTests.Run("pagetable", specimen.Pid.ToString(), "--full", "--format", "svg", "-o", svg);
            Assert.Equal(2, code);
            Assert.Equal("", stdout);
            string line = Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            // 1,048,576 pages over 2,048 PTE tables: the PTE column alone is far beyond what is drawn.
            Assert.Matches(@"^pageatlas: the picture would be [\d,]+ points tall \(2,0\d\d tables, [\d,]+ lines in one column", line);
            Assert.Contains("--vma N or --range A-B, leave out --full", line, StringComparison.Ordinal);
            Assert.Empty(Directory.GetFiles(directory));

            // Narrowed to 2 MiB of the area, the same --full picture is drawn.
            ulong touched = specimen["touched"];
            (code, _, err) = CliErrorTests.Run("pagetable", specimen.Pid.ToString(), "--full", "--format", "svg", "-o", svg, "--range", $"0x{touched:x}+2M");
            Assert.True(code == 0, err);
            Assert.True(System.Xml.Linq.XDocument.Load(svg).Root is not null);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
