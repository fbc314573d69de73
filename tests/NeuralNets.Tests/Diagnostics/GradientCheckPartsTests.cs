using NeuralNets.Diagnostics;

namespace NeuralNets.Tests.Diagnostics;

/// <summary>The parts GradientCheck is made of, public for checks of one's own objective (the coursework kit's is one).</summary>
public class GradientCheckPartsTests
{
    [Fact]
    public void CentralDifferences_GiveTheDerivatives_AndPutTheValuesBack()
    {
        double[] x = [1.5, -2];
        double Objective() => x[0] * x[0] + 3 * x[1];
        var numeric = GradientCheck.CentralDifferences(x, Objective);
        numeric[0].Should().BeApproximately(3, 1e-9);
        numeric[1].Should().BeApproximately(3, 1e-9);
        x.Should().Equal(1.5, -2);
    }

    [Fact]
    public void Of_NamesTheWorstElementOverEveryTensor_AndCountsThemAll()
    {
        var right = new GradientCheckTensor("input", [2], [1, 2], [1, 2], 1e-6);
        var wrong = new GradientCheckTensor("0.weight", [3], [1, 1, 4], [1, 1, 2], 1e-6);
        var result = GradientCheckResult.Of([right, wrong]);
        result.Where.Should().Be("0.weight");
        result.Index.Should().Be(2);
        result.MaxRelativeError.Should().Be(0.5);
        result.ElementsChecked.Should().Be(5);
        result.Tensors.Should().HaveCount(2);
    }
}
