using NeuralNets.Diagnostics;
using NeuralNets.Layers;
using NeuralNets.Serialization;

namespace NeuralNets.Tests.Layers;

public class UnflattenTests
{
    [Fact]
    public void Forward_FlatBatch_SplitsEachRowInRowMajorOrder()
    {
        var values = Enumerable.Range(0, 24).Select(v => (double)v).ToArray();
        var y = new Unflatten<double>(1, [3, 2, 2]).Forward(TestTensors.Create(values, 2, 12), training: false);
        y.Lengths.ToArray().Should().Equal(2, 3, 2, 2);
        y.ToArray().Should().Equal(values);
        // Sample 1, channel 2, row 0, column 1 sits at 12 + 2·4 + 0·2 + 1 = 21.
        y[1, 2, 0, 1].Should().Be(21);
    }

    [Fact]
    public void OutputShape_MiddleOrLastAxis_SplitsThatAxisOnly()
    {
        new Unflatten<float>(2, [2, 3]).OutputShape([5, 6, 7]).Should().Equal(5, 2, 3, 7);
        new Unflatten<float>(-1, [4, 2]).OutputShape([5, 8]).Should().Equal(5, 4, 2);
        new Unflatten<float>(1, [6272]).OutputShape([6272]).Should().Equal(6272);
    }

    [Fact]
    public void Backward_Any_ReturnsTheGradientInTheInputsShape()
    {
        var layer = new Unflatten<double>(1, [2, 3]);
        layer.Forward(TestTensors.Random<double>(0, 4, 6), training: true);
        var g = TestTensors.Random<double>(1, 4, 2, 3);
        var dx = layer.Backward(g);
        dx.Lengths.ToArray().Should().Equal(4, 6);
        dx.ToArray().Should().Equal(g.ToArray());
    }

    [Fact]
    public void Backward_Any_MatchesFiniteDifferences()
    {
        var result = GradientCheck.Layer(new Unflatten<double>(2, [3, 4]), TestTensors.Random<double>(2, 3, 2, 12));
        // 1e-7, GradientCheck's usual bound for ε = 1e-6 (see FlattenTests).
        result.MaxRelativeError.Should().BeLessThan(1e-7, result.ToString());
    }

    [Fact]
    public void Forward_WrongAxisLength_NamesLayerAndBothCounts()
    {
        var act = () => new Unflatten<double>(1, [8, 7, 7]).Forward(TestTensors.Random<double>(0, 2, 390), training: false);
        act.Should().Throw<ShapeMismatchException>().WithMessage("*Unflatten(dim=1, unflattened_size=[8, 7, 7])*392*[390]*");
    }

    [Fact]
    public void OutputShape_AxisBeyondTheSample_NamesTheRank()
    {
        var act = () => new Unflatten<double>(3, [2, 2]).OutputShape([4, 5]);
        act.Should().Throw<ShapeMismatchException>().WithMessage("*rank 2*");
    }

    [Fact]
    public void Backward_WrongShape_NamesLayerAndShapes()
    {
        var layer = new Unflatten<double>(1, [2, 3]);
        layer.Forward(TestTensors.Random<double>(0, 4, 6), training: true);
        var act = () => layer.Backward(TestTensors.Random<double>(1, 4, 3, 2));
        act.Should().Throw<ShapeMismatchException>().WithMessage("*Unflatten*backward*[4, 2, 3]*[4, 3, 2]*");
    }

    [Theory]
    [InlineData(0, new[] { 2, 3 }, "*batch axis*")]
    [InlineData(1, new int[0], "*at least one length*")]
    [InlineData(1, new[] { 2, 0 }, "*unflattenedSize[1] was 0*")]
    public void Constructor_BadArguments_ThrowNamingThem(int dim, int[] sizes, string message)
    {
        var act = () => new Unflatten<double>(dim, sizes);
        act.Should().Throw<ArgumentException>().WithMessage(message);
    }

    [Fact]
    public void Builder_GeneratorStem_SavesLoadsAndPredictsTheSame()
    {
        var network = Network.Sequential<double>(10).Dense(32).Unflatten(1, [8, 2, 2]).ConvTranspose2D(1, kernel: 4, stride: 2, padding: 1).Build(seed: 3);
        network.OutputShape([10]).Should().Equal(1, 4, 4);
        var path = Path.Combine(Path.GetTempPath(), $"unflatten-{Guid.NewGuid():N}.json");
        try
        {
            ModelFile.Save(network, path);
            var loaded = ModelFile.Load<double>(path);
            loaded.Layers[1].Describe().Should().Be(network.Layers[1].Describe());
            loaded.Layers[1].ToString().Should().Be("Unflatten(dim=1, unflattened_size=[8, 2, 2])");
            var x = TestTensors.Random<double>(4, 3, 10);
            loaded.Predict(x).ToArray().Should().Equal(network.Predict(x).ToArray());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Registry_DescriptionWithBatchAxis_IsRefusedNamingTheField()
    {
        var description = new Unflatten<double>(1, [2, 3]).Describe() with { Settings = new Dictionary<string, double> { ["dim"] = 0 } };
        var act = () => LayerRegistry.Create<double>(description);
        act.Should().Throw<InvalidDataException>().WithMessage("*'dim'*batch*");
    }
}
