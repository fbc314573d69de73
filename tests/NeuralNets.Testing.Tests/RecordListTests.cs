using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using NeuralNets.Testing.Contract;
using NeuralNets.Testing.Optimizers;

namespace NeuralNets.Testing.Tests;

/// <summary>
/// The kit's records that write their member list by hand (numbers in the invariant culture) list every public property,
/// in the generated format, so that a member added later is not left out silently.
/// </summary>
public class RecordListTests
{
    public static TheoryData<object> Records() =>
    [
        new LayerContractOptions { Seed = -2, GradientTolerance = 0.5 },
        new ProblemComparison("quadratic", -3, null, 1, null, []),
        new TraceRow(-1, null!, [0.5]),
    ];

    [Theory]
    [MemberData(nameof(Records))]
    public void ToString_ListsEveryPublicProperty_WithNumbersInTheInvariantCulture(object record)
    {
        var saved = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("sv-SE");
        string text;
        try
        {
            text = record.ToString()!;
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
        var type = record.GetType();
        var expected = type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(property => property.Name);
        var listed = Regex.Matches(text, @"(?:\{ |, )(\w+) = ").Select(match => match.Groups[1].Value);
        listed.Should().BeEquivalentTo(expected, options => options.WithStrictOrdering(), text);
        text.Should().StartWith(type.Name + " { ").And.NotContain("\u2212", "a negative number reads -2, not −2").And.NotContain("0,5");
    }
}
