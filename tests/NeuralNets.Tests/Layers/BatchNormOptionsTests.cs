using System.Text.Json.Nodes;
using NeuralNets.Diagnostics;
using NeuralNets.Interop;
using NeuralNets.Layers;
using NeuralNets.Serialization;
using NeuralNets.Tests.Serialization;

namespace NeuralNets.Tests.Layers;

/// <summary>
/// BatchNorm's PyTorch options: <c>momentum=None</c> (the cumulative average over <c>num_batches_tracked</c>) and
/// <c>affine=False</c>, in training, in files, in checkpoints' descriptions and through ONNX. The expectations are
/// worked by hand from PyTorch's documented update (no libtorch run).
/// </summary>
public class BatchNormOptionsTests
{
    [Fact]
    public void CumulativeMomentum_RunningStatistics_AreThePlainMeanOfEveryBatch()
    {
        var bn = new BatchNorm1D<double>(1, momentum: null);
        // Batch means 2, 7, 0.5; unbiased variances 2, 8, 4.5. The first batch replaces the initial 0 and 1 outright.
        bn.Forward(TestTensors.Create(new[] { 1.0, 3.0 }, 2, 1), training: true);
        bn.RunningMean.ToArray().Should().Equal([2.0]);
        bn.RunningVariance.ToArray().Should().Equal([2.0]);
        bn.Forward(TestTensors.Create(new[] { 5.0, 9.0 }, 2, 1), training: true);
        bn.RunningMean.ToArray().Should().Equal([4.5]);
        bn.RunningVariance.ToArray().Should().Equal([5.0]);
        bn.Forward(TestTensors.Create(new[] { -1.0, 2.0 }, 2, 1), training: true);
        bn.RunningMean[0].Should().BeApproximately((2 + 7 + 0.5) / 3, 1e-15);
        bn.RunningVariance[0].Should().BeApproximately((2 + 8 + 4.5) / 3, 1e-15);
        bn.BatchesTracked.Should().Be(3);

        bn.Forward(TestTensors.Create(new[] { 100.0, 200.0 }, 2, 1), training: false);
        bn.BatchesTracked.Should().Be(3, "inference neither counts a batch nor moves the statistics");
        bn.RunningMean[0].Should().BeApproximately(9.5 / 3, 1e-15);
    }

    [Fact]
    public void FixedMomentum_StillCountsBatches_AsPyTorchDoes()
    {
        var bn = new BatchNorm2D<float>(2, momentum: 0.1);
        for (int step = 0; step < 4; step++) bn.Forward(TestTensors.Random<float>(step, 3, 2, 2, 2), training: true);
        bn.BatchesTracked.Should().Be(4);
        bn.ToString().Should().Be("BatchNorm2D(features=2, momentum=0.1, epsilon=1E-05)");
    }

    [Fact]
    public void AffineOff_HasNoParameters_AndOnlyNormalises()
    {
        var bn = new BatchNorm1D<double>(1, affine: false);
        bn.Parameters.Should().BeEmpty();
        bn.Weight.Should().BeNull();
        bn.Bias.Should().BeNull();
        bn.ToString().Should().Be("BatchNorm1D(features=1, momentum=0.1, epsilon=1E-05, affine=false)");
        // Mean 2, biased variance 1: (x − 2)/√(1 + ε).
        var y = bn.Forward(TestTensors.Create(new[] { 1.0, 3.0 }, 2, 1), training: true).ToArray();
        y.Should().Equal([-1 / Math.Sqrt(1 + 1e-5), 1 / Math.Sqrt(1 + 1e-5)]);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void AffineOff_GradientCheck_TrainingAndInference(bool training)
    {
        var bn = new BatchNorm2D<double>(3, momentum: null, affine: false);
        bn.SetRunningStatistics([0.2, -0.1, 0.4], [0.8, 1.3, 0.5]);
        var result = GradientCheck.Layer(bn, TestTensors.Random<double>(5, 2, 3, 2, 3), seed: 4, training: training);
        result.MaxRelativeError.Should().BeLessThan(1e-6, result.ToString());
    }

    [Theory]
    [InlineData((1L << 53) + 1)]
    [InlineData(long.MaxValue)]
    public void SetRunningStatistics_CountAboveTwoToThe53_FailsAndKeepsTheStatistics(long count)
    {
        // A model file keeps the count as a double: 2^53 + 1 would save as 2^53, 2^63 − 1 would not load again.
        var bn = new BatchNorm1D<double>(2, momentum: null);
        bn.SetRunningStatistics([0.5, -0.5], [2.0, 3.0], batchesTracked: 1L << 53);

        var act = () => bn.SetRunningStatistics([9.0, 9.0], [9.0, 9.0], count);

        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("batchesTracked").WithMessage("*above 2^53*");
        bn.RunningMean.ToArray().Should().Equal([0.5, -0.5]);
        bn.BatchesTracked.Should().Be(1L << 53);
    }

    [Fact]
    public void Network_WithBothOptions_SavesAndLoads_BatchCountIncluded()
    {
        var network = Network.Sequential<float>(3, 4, 4).BatchNorm2D(momentum: null, affine: false).Flatten().Dense(5).BatchNorm1D().Build(seed: 2);
        for (int step = 0; step < 3; step++) network.Forward(TestTensors.Random<float>(step, 6, 3, 4, 4), training: true);
        network.Parameters.Should().HaveCount(4, "the affine-free norm has none");
        using var dir = new TempDirectory();
        ModelFile.Save(network, dir.File("model.json"));
        var loaded = ModelFile.Load<float>(dir.File("model.json"));

        loaded.DescribeLayers().Should().Equal(network.DescribeLayers());
        var first = (BatchNorm2D<float>)loaded.Layers[0];
        (first.Momentum, first.Affine, first.BatchesTracked).Should().Be((null, false, 3L));
        var x = TestTensors.Random<float>(9, 2, 3, 4, 4);
        loaded.Predict(x).ToArray().Should().Equal(network.Predict(x).ToArray());
        // Training on continues the cumulative average where it was: the fourth batch weighs 1/4 in both.
        var batch = TestTensors.Random<float>(10, 6, 3, 4, 4);
        network.Forward(batch, training: true);
        loaded.Forward(batch, training: true);
        first.RunningMean.ToArray().Should().Equal(((BatchNorm2D<float>)network.Layers[0]).RunningMean.ToArray());
    }

    [Fact]
    public void FileWrittenBeforeTheBatchCount_LoadsWithZeroBatches()
    {
        var network = Network.Sequential<double>(2).BatchNorm1D().Build(seed: 1);
        network.Forward(TestTensors.Random<double>(1, 4, 2), training: true);
        using var dir = new TempDirectory();
        string path = dir.File("old.json");
        ModelFile.Save(network, path);
        ModelFileEdits.Edit(path, root => ModelFileEdits.Settings(root, 0).Remove(BatchNorm<double>.BatchesTrackedSetting));
        var loaded = (BatchNorm1D<double>)ModelFile.Load<double>(path).Layers[0];
        (loaded.BatchesTracked, loaded.Affine, loaded.Momentum).Should().Be((0L, true, 0.1));
        loaded.RunningMean.ToArray().Should().Equal(((BatchNorm1D<double>)network.Layers[0]).RunningMean.ToArray());
    }

    [Theory]
    [InlineData(2.5, "*batchesTracked*whole number*2.5*")]
    [InlineData(-1, "*batchesTracked*non-negative*")]
    public void FileWithBadBatchCount_IsRefusedNamingTheSetting(double count, string message)
    {
        var network = Network.Sequential<double>(2).BatchNorm1D(momentum: null).Build(seed: 1);
        using var dir = new TempDirectory();
        string path = dir.File("bad.json");
        ModelFile.Save(network, path);
        ModelFileEdits.Edit(path, root => ModelFileEdits.Settings(root, 0)[BatchNorm<double>.BatchesTrackedSetting] = JsonValue.Create(count));
        var act = () => ModelFile.Load<double>(path);
        act.Should().Throw<InvalidDataException>().WithMessage(message);
    }

    [Fact]
    public void Onnx_AffineOff_ExportsOnesAndZeros_AndImportsAsAffineOff()
    {
        var network = Network.Sequential<float>(3, 4, 5).BatchNorm2D(momentum: null, affine: false).Build(seed: 3);
        for (int step = 0; step < 2; step++) network.Forward(TestTensors.Random<float>(step, 4, 3, 4, 5), training: true);
        var imported = OnnxFile.FromBytes<float>(OnnxFile.ToBytes(network));
        var layer = imported.Layers.OfType<BatchNorm2D<float>>().Single();
        layer.Affine.Should().BeFalse();
        layer.Epsilon.Should().Be(1e-5);
        var source = (BatchNorm2D<float>)network.Layers[0];
        layer.RunningMean.ToArray().Should().Equal(source.RunningMean.ToArray());
        layer.RunningVariance.ToArray().Should().Equal(source.RunningVariance.ToArray());
        var x = TestTensors.Random<float>(7, 2, 3, 4, 5);
        imported.Predict(x).ToArray().Should().Equal(network.Predict(x).ToArray());
    }

    [Fact]
    public void Onnx_AffineOn_ImportsGammaAndBeta()
    {
        var network = Network.Sequential<float>(4).Dense(6).BatchNorm1D(momentum: 0.25).Build(seed: 5);
        network.Forward(TestTensors.Random<float>(1, 8, 4), training: true);
        var bn = (BatchNorm1D<float>)network.Layers[1];
        bn.Weight!.SetValue([1.5f, 0.5f, -1, 2, 0.25f, 1]);
        bn.Bias!.SetValue([0.1f, 0, 0, -0.3f, 0, 0.2f]);
        var imported = (BatchNorm1D<float>)OnnxFile.FromBytes<float>(OnnxFile.ToBytes(network)).Layers[1];
        imported.Affine.Should().BeTrue();
        imported.Weight!.ValueSpan.ToArray().Should().Equal(bn.Weight.ValueSpan.ToArray());
        imported.Bias!.ValueSpan.ToArray().Should().Equal(bn.Bias!.ValueSpan.ToArray());
        imported.Momentum.Should().Be(0.1, "the export writes no momentum (ONNX's default 0.9 is PyTorch's 0.1)");
    }
}
