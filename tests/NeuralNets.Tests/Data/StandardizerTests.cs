using NeuralNets.Data;
using NeuralNets.Tensors;

namespace NeuralNets.Tests.Data;

public class StandardizerTests
{
    [Fact]
    public void Fit_HandComputedColumn_MeanAndPopulationDeviation()
    {
        // Column 0: 1, 2, 3, 4 → mean 2.5, variance (2.25 + 0.25 + 0.25 + 2.25) / 4 = 1.25. Column 1 is constant.
        var features = TensorMemory.Wrap(new double[] { 1, 7, 2, 7, 3, 7, 4, 7 }, [4, 2]);

        var standardizer = Standardizer.Fit(features);

        standardizer.Means.Should().Equal(2.5, 7);
        standardizer.Scales[0].Should().Be(Math.Sqrt(1.25));
        standardizer.Scales[1].Should().Be(1, "a constant column is only centred");
        var z = standardizer.Transform(features).Span().ToArray();
        z[0].Should().BeApproximately(-1.5 / Math.Sqrt(1.25), 1e-15);
        z[1].Should().Be(0);
    }

    [Fact]
    public void Transform_TrainingData_HasMeanZeroAndDeviationOne()
    {
        var random = new Random(3);
        var values = new float[200 * 3];
        for (int i = 0; i < values.Length; i++) values[i] = (float)(random.NextDouble() * 50 + 100 * (i % 3));
        var features = TensorMemory.Wrap(values, [200, 3]);

        var z = Standardizer.Fit(features).Transform(features).Span().ToArray();

        for (int c = 0; c < 3; c++)
        {
            var column = Enumerable.Range(0, 200).Select(r => (double)z[r * 3 + c]).ToArray();
            column.Average().Should().BeApproximately(0, 1e-5);
            Math.Sqrt(column.Select(x => x * x).Average()).Should().BeApproximately(1, 1e-5);
        }
    }

    [Fact]
    public void Constructor_ZeroScale_NamesTheFeature()
    {
        var act = () => new Standardizer([0, 0], [1, 0]);

        act.Should().Throw<ArgumentException>().WithMessage("The scale of feature 1 is 0*");
    }

    [Fact]
    public void Transform_WrongWidth_SaysBothWidths()
    {
        var standardizer = new Standardizer([0, 0], [1, 1]);

        var act = () => standardizer.Transform(TensorMemory.Wrap(new double[3], [1, 3]));

        act.Should().Throw<ArgumentException>().WithMessage("*fitted on 2 features*[1, 3]*");
    }
}
