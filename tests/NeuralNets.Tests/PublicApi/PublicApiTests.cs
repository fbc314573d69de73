using System.Reflection;
using NeuralNets.Testing;

namespace NeuralNets.Tests.PublicApi;

/// <summary>
/// What the two packages offer is written down (src/*/PublicAPI.txt), so that a change to it is a change a reviewer
/// sees: a line that goes breaks someone's code and belongs in CHANGELOG.md.
/// </summary>
public class PublicApiTests
{
    public static TheoryData<string> Packages => new("NeuralNets", "NeuralNets.Testing");

    [Theory]
    [MemberData(nameof(Packages))]
    public void Listing_IsTheOneWrittenDown(string package)
    {
        var assembly = package == "NeuralNets" ? typeof(Parameter<>).Assembly : typeof(NeuralNetsAssertionExtensions).Assembly;
        string folder = Path.Combine(AppContext.BaseDirectory, "PublicApi");
        string expected = File.ReadAllText(Path.Combine(folder, package + ".txt")).ReplaceLineEndings("\n");
        string actual = PublicApiListing.Of(assembly);
        if (actual == expected) return;
        // Leave this build's listing beside the written one, for copying over src/<package>/PublicAPI.txt when the change is meant.
        string written = Path.Combine(folder, package + ".actual.txt");
        File.WriteAllText(written, actual);
        var before = expected.Split('\n').ToHashSet(StringComparer.Ordinal);
        var after = actual.Split('\n').ToHashSet(StringComparer.Ordinal);
        string changes = string.Join("\n", expected.Split('\n').Where(l => !after.Contains(l)).Take(20).Select(l => "- " + l)
            .Concat(actual.Split('\n').Where(l => !before.Contains(l)).Take(20).Select(l => "+ " + l)));
        Assert.Fail($"{package}'s public API changed (this build's listing: {written}; if meant, copy it over src/{package}/PublicAPI.txt and say what breaks in CHANGELOG.md):\n{changes}");
    }

    [Fact]
    public void Listing_WritesWhatCallersDependOn()
    {
        string listing = PublicApiListing.Of(typeof(Parameter<>).Assembly);
        string[] lines = listing.Split('\n');
        // Nullability, defaults, parameter names and constraints each break callers when they change.
        lines.Should().Contain("sealed class NeuralNets.Layers.Dense<T> : ILayer<T>, IParameterGradientOnly<T> where T : unmanaged, IFloatingPointIeee754<T>");
        lines.Should().Contain("  Parameter<T>? Bias { get; }");
        lines.Should().Contain(l => l.StartsWith("  ctor(int inputs, int outputs, int seed, WeightInit init = WeightInit.GlorotUniform", StringComparison.Ordinal));
        lines.Should().Contain(l => l.StartsWith("  override string ToString()", StringComparison.Ordinal));
        lines.Should().NotContain(l => l.Contains("<Clone>$", StringComparison.Ordinal) || l.Contains("get_", StringComparison.Ordinal));
        listing.Should().NotContain("internal").And.NotContain("\r");
    }

    [Fact]
    public void Listing_LeavesOutWhatNoCallerCanReach()
    {
        string listing = PublicApiListing.Of(typeof(PublicApiTests).Assembly);
        listing.Should().Contain("class NeuralNets.Tests.PublicApi.PublicApiTests").And.NotContain("Fixture_ProtectedOfSealed");
        listing.Should().Contain("  protected virtual int ReachableFromDerived()");
        listing.Should().NotContain("PrivateHelper");
    }
}

/// <summary>A type that only shows the listing which members a deriving user can reach.</summary>
public class ListingProbe
{
    /// <summary>Reachable by a derived class: listed.</summary>
    protected virtual int ReachableFromDerived() => PrivateHelper();

    private static int PrivateHelper() => 1;
}

/// <summary>Sealed: its protected members are out of every caller's reach.</summary>
public sealed class SealedListingProbe
{
#pragma warning disable CA1822, CS0628
    protected int Fixture_ProtectedOfSealed() => 2;
#pragma warning restore CA1822, CS0628
}
