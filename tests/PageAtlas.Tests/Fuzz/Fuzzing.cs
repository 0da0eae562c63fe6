using System.Text;
using FsCheck;
using FsCheck.Fluent;

namespace PageAtlas.Tests.Fuzz;

/// <summary>
/// What the fuzz properties share: how many cases each runs, and generators of hostile input — text
/// made of the characters /proc files are built from plus any other, and real samples with a few
/// bytes or characters changed, inserted or removed.
/// </summary>
internal static class Fuzzing
{
    /// <summary>The environment variable that sets the cases per property (e.g. 100000 for a long run).</summary>
    public const string CasesVariable = "PAGEATLAS_FUZZ_CASES";

    /// <summary>Cases per property: 500 by default, which keeps the whole fuzz run within seconds.</summary>
    public static int Cases =>
        int.TryParse(Environment.GetEnvironmentVariable(CasesVariable), out int cases) && cases > 0 ? cases : 500;

    /// <summary>
    /// Checks <paramref name="property"/> on <see cref="Cases"/> inputs from <paramref name="inputs"/>;
    /// a failure is shrunk and reported with the input that caused it.
    /// </summary>
    public static void Check<T>(Gen<T> inputs, Action<T> property) =>
        Prop.ForAll(inputs.ToArbitrary(), property).Check(Config.QuickThrowOnFailure.WithMaxTest(Cases));

    /// <summary>
    /// Runs <paramref name="parse"/>, which may succeed or throw <typeparamref name="TDocumented"/>
    /// (the failure its documentation promises); anything else fails the property.
    /// </summary>
    public static void OnlyDocumentedFailure<TDocumented>(Action parse) where TDocumented : PageAtlasException
    {
        try
        {
            parse();
        }
        catch (TDocumented)
        {
        }
    }

    /// <summary>The characters kernel text and arguments are made of, and some that have no business there.</summary>
    private const string Alphabet = "0123456789abcdefABCDEFxX-+.:; ,()[]/\\\n\t\r~=kBNodezonrwps_";

    private static readonly Gen<char> s_anyChar = Gen.Choose(0, 0xFFFF).Select(c => (char)c);

    /// <summary>Strings of structural characters with now and then any character at all.</summary>
    public static Gen<string> Text { get; } =
        Gen.Frequency((9, Gen.Elements(Alphabet.ToCharArray())), (1, s_anyChar))
            .ArrayOf().Select(chars => new string(chars));

    /// <summary>Arbitrary bytes, from none to a few hundred.</summary>
    public static Gen<byte[]> Bytes { get; } = Gen.Choose(0, 255).Select(b => (byte)b).ArrayOf();

    /// <summary><paramref name="sample"/> with one to eight characters replaced, inserted or removed.</summary>
    public static Gen<string> Mutations(string sample) =>
        Gen.Choose(1, 8).SelectMany(count => Gen.ArrayOf(Edit(), count)).Select(edits =>
        {
            var text = new StringBuilder(sample);
            foreach (var (kind, position, c) in edits)
            {
                int at = text.Length == 0 ? 0 : position % text.Length;
                switch (kind)
                {
                    case 0 when text.Length > 0: text[at] = c; break;
                    case 1: text.Insert(at, c); break;
                    case 2 when text.Length > 0: text.Remove(at, 1); break;
                }
            }
            return text.ToString();
        });

    /// <summary><paramref name="sample"/> with one to eight bytes set to any value, mostly within its first <paramref name="hot"/> bytes.</summary>
    public static Gen<byte[]> Mutations(byte[] sample, int hot) =>
        Gen.Choose(1, 8).SelectMany(count => Gen.ArrayOf(
            Gen.Zip(Gen.Frequency((4, Gen.Choose(0, hot - 1)), (1, Gen.Choose(0, sample.Length - 1))), Gen.Choose(0, 255)), count))
            .Select(edits =>
            {
                var bytes = (byte[])sample.Clone();
                foreach (var (position, value) in edits) bytes[position] = (byte)value;
                return bytes;
            });

    private static Gen<(int Kind, int Position, char Char)> Edit() =>
        from kind in Gen.Choose(0, 2)
        from position in Gen.Choose(0, int.MaxValue)
        from c in Gen.Frequency((3, Gen.Elements(Alphabet.ToCharArray())), (1, s_anyChar))
        select (kind, position, c);
}
