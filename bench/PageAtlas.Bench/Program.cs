using System.Globalization;
using PageAtlas.Bench;

// Speed and memory of PageAtlas against C references doing the same reads, on live targets, in the
// same run. Each comparison alternates the two, round by round, so drift in the machine's speed falls
// on both; each keeps its best round.
//   walk [rounds] [scenario]   whole-process walk vs bench/reference/walk.c (the default)
//   census [rounds]            frame census of the whole machine vs bench/reference/census.c
//   composition [rounds]       composition of the 4 GiB target vs the walk reference (pages/s)
//   owners [rounds]            frame -> owners across every process, timed
//   share [rounds]             share of two 4 GiB processes (forked pair, two runs), timed
//   snapshot [rounds]          snapshot of the 4 GiB target against the plain walk; bytes per page
string root = Scenario.RepoRoot();
string mode = args.Length > 0 && !char.IsDigit(args[0][0]) ? args[0] : "walk";
var rest = mode == "walk" && (args.Length == 0 || char.IsDigit(args[0][0])) ? args : args.Skip(1).ToArray();
int rounds = rest.Length > 0 ? int.Parse(rest[0], CultureInfo.InvariantCulture) : 10;
string only = rest.Length > 1 ? rest[1] : "";
return mode switch
{
    "walk" => WalkComparison.Run(root, rounds, only),
    "census" => CensusComparison.Run(root, rounds),
    "composition" => CompositionComparison.Run(root, rounds),
    "owners" => OwnersTiming.Run(root, rounds),
    "share" => ShareTiming.Run(root, rounds),
    "snapshot" => SnapshotTiming.Run(root, rounds),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: PageAtlas.Bench [walk|census|composition|owners|share|snapshot] [rounds] [scenario filter]");
    return 2;
}
