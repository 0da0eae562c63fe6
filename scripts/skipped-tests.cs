// Lists every test a run skipped, with the reason it gave, from the TRX result files named on the
// command line, then one closing line of totals: scripts/test.sh prints this last, so a green run
// that tested less says so.
// Run as a .NET file-based app: dotnet run --file scripts/skipped-tests.cs -- RESULTS.trx…
using System.Xml.Linq;

XNamespace ns = "http://microsoft.com/schemas/VisualStudio/TeamTest/2010";
var results = args.SelectMany(path => XDocument.Load(path).Descendants(ns + "UnitTestResult")).ToList();
int Count(string outcome) => results.Count(result => (string?)result.Attribute("outcome") == outcome);
var skipped = results
    .Where(result => (string?)result.Attribute("outcome") == "NotExecuted")
    .Select(result => (
        Name: (string?)result.Attribute("testName") ?? "?",
        Reason: result.Descendants(ns + "Message").FirstOrDefault()?.Value.Trim() ?? "no reason given"))
    .OrderBy(test => test.Name, StringComparer.Ordinal)
    .ToList();

if (skipped.Count == 0) Console.WriteLine("Skipped tests: none.");
else Console.WriteLine($"Skipped tests ({skipped.Count}): what this machine did not test, and why");
foreach (var (name, reason) in skipped)
    Console.WriteLine($"  SKIPPED {name}\n          {reason}");
Console.WriteLine($"tests: {Count("Passed")} passed, {Count("Failed")} failed, {skipped.Count} skipped");
