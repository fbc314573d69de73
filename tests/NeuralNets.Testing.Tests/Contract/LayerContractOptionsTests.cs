using System.Globalization;
using NeuralNets.Testing.Contract;

namespace NeuralNets.Testing.Tests.Contract;

/// <summary>An option the contract could not judge by is refused where it is set, with the option and the value named.</summary>
public class LayerContractOptionsTests
{
    [Theory]
    [InlineData(double.NaN, "NaN")]
    [InlineData(0.0, "is 0;")]
    [InlineData(-1e-6, "-1e-6")]
    [InlineData(1.0, "is 1;")]
    [InlineData(double.PositiveInfinity, "Infinity")]
    public void GradientTolerance_OutsideZeroToOne_ThrowsNamingTheOptionAndValue(double tolerance, string shown)
    {
        var set = () => new LayerContractOptions { GradientTolerance = tolerance };

        var thrown = set.Should().Throw<ArgumentOutOfRangeException>().Which;
        thrown.ParamName.Should().Be("GradientTolerance");
        thrown.Message.Should().Contain("LayerContractOptions.GradientTolerance ").And.Contain(shown);
    }

    [Fact]
    public void GradientTolerance_RefusedUnderAGermanCulture_WritesTheValueInvariantly()
    {
        var saved = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
        try
        {
            var set = () => new LayerContractOptions { GradientTolerance = 1.5 };

            set.Should().Throw<ArgumentOutOfRangeException>().Which.Message.Should().Contain("is 1.5;").And.NotContain("1,5");
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
    }

    [Theory]
    [InlineData(new[] { 0, -2 }, "[0, -2] holds 0")]
    [InlineData(new[] { 3, 1 }, "[3, 1] holds 1")]
    [InlineData(new int[0], "is empty")]
    public void Batches_EmptyOrBelowTwo_ThrowsNamingTheOptionAndValue(int[] batches, string shown)
    {
        var set = () => new LayerContractOptions { Batches = batches };

        var thrown = set.Should().Throw<ArgumentOutOfRangeException>().Which;
        thrown.ParamName.Should().Be("Batches");
        thrown.Message.Should().Contain("LayerContractOptions.Batches ").And.Contain(shown);
    }

    [Fact]
    public void Batches_Null_ThrowsArgumentNullException()
    {
        var set = () => new LayerContractOptions { Batches = null! };

        set.Should().Throw<ArgumentNullException>().Which.ParamName.Should().Be("Batches");
    }

    [Fact]
    public void With_InvalidTolerance_Throws()
    {
        var options = new LayerContractOptions();

        var set = () => options with { GradientTolerance = -1 };

        set.Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void Batches_ListChangedAfterSetting_KeepsTheCheckedSizes()
    {
        var batches = new List<int> { 2, 4 };
        var options = new LayerContractOptions { Batches = batches };

        batches[0] = 0;

        options.Batches.Should().Equal(2, 4);
    }

    [Fact]
    public void Setters_SensibleValues_AreKept()
    {
        var options = new LayerContractOptions { Seed = -7, GradientTolerance = 1e-4, Batches = [2], TrainingDiffers = true };

        options.Should().Match<LayerContractOptions>(o => o.Seed == -7 && o.GradientTolerance == 1e-4 && o.Batches.SequenceEqual(new[] { 2 }) && o.TrainingDiffers == true);
    }

    [Fact]
    public void ToString_DefaultOptions_ShowsTheBatchSizes()
    {
        new LayerContractOptions().ToString().Should().Be("LayerContractOptions { Seed = 1, GradientTolerance = 1e-6, TrainingDiffers = , Batches = [3, 5] }");
    }

    [Fact]
    public void Equals_SameBatchSizesInAnotherList_IsEqual()
    {
        var options = new LayerContractOptions { Batches = new List<int> { 2, 4 } };
        var same = new LayerContractOptions { Batches = [2, 4] };

        options.Should().Be(same);
        options.GetHashCode().Should().Be(same.GetHashCode());
        new LayerContractOptions().Should().Be(new LayerContractOptions()).And.NotBe(same);
    }
}
