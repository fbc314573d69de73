using NeuralNets.Diagnostics;
using NeuralNets.Layers;

namespace NeuralNets.Tests.Layers;

public class DropoutTests
{
    [Fact]
    public void Forward_Inference_IsIdentity()
    {
        var layer = new Dropout<double>(0.5, seed: 1);
        var x = TestTensors.Random<double>(2, 4, 10);
        layer.Forward(x, training: false).ToArray().Should().Equal(x.ToArray());
        var g = TestTensors.Random<double>(3, 4, 10);
        layer.Backward(g).ToArray().Should().Equal(g.ToArray());
    }

    [Fact]
    public void Forward_Training_ZeroesOrScalesByInverseKeepProbability()
    {
        const double p = 0.3;
        var layer = new Dropout<double>(p, seed: 1);
        var x = TestTensors.Random<double>(2, 100, 100);
        var y = layer.Forward(x, training: true).ToArray();
        var input = x.ToArray();
        int dropped = 0;
        for (int i = 0; i < y.Length; i++)
        {
            if (y[i] == 0) dropped++;
            else y[i].Should().BeApproximately(input[i] / (1 - p), 1e-15);
        }
        // 10 000 Bernoulli(0.3) draws: the standard deviation of the fraction is 0.0046.
        (dropped / (double)y.Length).Should().BeApproximately(p, 0.02);
    }

    [Theory]
    [InlineData(0.2, 1)]
    [InlineData(0.5, 2)]
    [InlineData(0.999, 3)]
    [InlineData(1e-12, 4)]
    public void Forward_Training_MaskIsTheStreamsDrawsInOrder_WhateverRangesDrawIt(double p, int seed)
    {
        // 20,000 values: enough to be drawn on several cores. Element i is dropped when draw i of the layer's stream, as a
        // uniform in [0, 1), is below p.
        var layer = new Dropout<float>(p, seed);
        var x = TestTensors.Random<float>(5, 4, 5000);
        for (long position = 0; position < 3; position++)
        {
            var y = layer.Forward(x, training: true).ToArray();
            var random = new NeuralNets.Data.SampleRandom(seed, int.MinValue, position);
            float keep = (float)(1.0 / (1.0 - p));
            var expected = new float[20000];
            for (int i = 0; i < expected.Length; i++) expected[i] = random.NextDouble() < p ? 0f : keep;
            layer.Mask.ToArray().Should().Equal(expected, $"position {position}");
            y.Should().Equal(x.ToArray().Zip(expected, (v, m) => v * m), $"position {position}");
        }
    }

    [Fact]
    public void Backward_Training_UsesTheForwardMask()
    {
        var layer = new Dropout<double>(0.5, seed: 3);
        var x = TestTensors.Create(Enumerable.Repeat(1.0, 64).ToArray(), 8, 8);
        var y = layer.Forward(x, training: true).ToArray();
        var g = TestTensors.Random<double>(4, 8, 8);
        var dx = layer.Backward(g).ToArray();
        var dy = g.ToArray();
        // With x = 1 the output is the mask itself: dx = dy ⊙ m.
        for (int i = 0; i < dx.Length; i++) dx[i].Should().Be(dy[i] * y[i]);
        y.Should().Contain(0.0).And.Contain(2.0);
    }

    [Fact]
    public void Backward_FrozenMask_MatchesFiniteDifferences()
    {
        var layer = new Dropout<double>(0.4, seed: 5) { FreezeMask = true };
        var result = GradientCheck.Layer(layer, TestTensors.Random<double>(6, 3, 2, 4, 4), training: true);
        result.MaxRelativeError.Should().BeLessThan(1e-8, result.ToString());
        layer.Mask.ToArray().Should().Contain(0.0);
    }

    [Fact]
    public void Forward_SameSeed_SameMasks_NewMaskEachCall()
    {
        var a = new Dropout<float>(0.5, seed: 7);
        var b = new Dropout<float>(0.5, seed: 7);
        var x = TestTensors.Create(Enumerable.Repeat(1f, 200).ToArray(), 2, 100);
        var first = a.Forward(x, training: true).ToArray();
        b.Forward(x, training: true).ToArray().Should().Equal(first);
        a.Forward(x, training: true).ToArray().Should().NotEqual(first);
    }

    [Fact]
    public void Forward_ZeroProbability_IsIdentityWhileTraining()
    {
        var x = TestTensors.Random<double>(1, 3, 5);
        new Dropout<double>(0, seed: 0).Forward(x, training: true).ToArray().Should().Equal(x.ToArray());
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.0)]
    [InlineData(double.NaN)]
    public void Constructor_ProbabilityOutsideUnitInterval_NamesValue(double p)
    {
        var act = () => new Dropout<double>(p, seed: 0);
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage($"*[0, 1)*{p.ToString(System.Globalization.CultureInfo.InvariantCulture)}*");
    }

    [Fact]
    public void SaveThenLoad_KeepsTheSeed_SoFurtherTrainingDrawsTheSameMasks()
    {
        var directory = Directory.CreateTempSubdirectory("neuralnets-dropout-").FullName;
        try
        {
            var network = Network.Sequential<float>(6).Dense(5).Dropout(0.4).Dense(2).Build(seed: 3);
            var path = Path.Combine(directory, "model.json");
            NeuralNets.Serialization.ModelFile.Save(network, path);
            var loaded = NeuralNets.Serialization.ModelFile.Load<float>(path);
            var original = (Dropout<float>)network.Layers[1];
            var reloaded = (Dropout<float>)loaded.Layers[1];
            reloaded.Seed.Should().Be(original.Seed);
            var x = TestTensors.Random<float>(4, 8, 5);
            reloaded.Forward(x, training: true).ToArray().Should().Equal(original.Forward(x, training: true).ToArray());
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void Forward_PositionSetBack_DrawsTheSameMaskAgain()
    {
        var layer = new Dropout<float>(0.5, seed: 4);
        var x = TestTensors.Create(Enumerable.Repeat(1f, 300).ToArray(), 3, 100);
        layer.Forward(x, training: true);
        var second = layer.Forward(x, training: true).ToArray();
        layer.RandomPosition.Should().Be(2);

        layer.RandomPosition = 1;

        layer.Forward(x, training: true).ToArray().Should().Equal(second);
        layer.RandomPosition.Should().Be(2);
    }

    [Fact]
    public void Forward_FreshLayerAtAPosition_DrawsWhatTheRunningLayerDrewThere()
    {
        var running = new Dropout<double>(0.3, seed: 9);
        var x = TestTensors.Create(Enumerable.Repeat(1.0, 50).ToArray(), 5, 10);
        for (int i = 0; i < 3; i++) running.Forward(x, training: true);
        var fresh = new Dropout<double>(0.3, seed: 9) { RandomPosition = 3 };

        fresh.Forward(x, training: true).ToArray().Should().Equal(running.Forward(x, training: true).ToArray());
    }

    [Fact]
    public void Forward_InferenceAndFrozenMask_DoNotAdvanceThePosition()
    {
        var layer = new Dropout<double>(0.5, seed: 2);
        var x = TestTensors.Random<double>(1, 4, 6);
        layer.Forward(x, training: false);
        layer.RandomPosition.Should().Be(0);
        layer.Forward(x, training: true);
        layer.FreezeMask = true;
        layer.Forward(x, training: true);
        layer.RandomPosition.Should().Be(1);
    }

    [Fact]
    public void RandomPosition_Negative_Throws()
    {
        var act = () => new Dropout<double>(0.5, seed: 2).RandomPosition = -1;
        act.Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void ToString_PrintsProbability() => new Dropout<float>(0.25, seed: 0).ToString().Should().Be("Dropout(p=0.25)");
}
