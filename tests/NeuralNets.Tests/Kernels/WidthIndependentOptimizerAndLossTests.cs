using System.Numerics;
using System.Numerics.Tensors;
using NeuralNets.Data;
using NeuralNets.Kernels;
using NeuralNets.Losses;
using NeuralNets.Optimizers;
using NeuralNets.Training;

namespace NeuralNets.Tests.Kernels;

/// <summary>
/// L-BFGS, BCE-with-logits and the sum of magnitudes they rest on: the same bits at every vector width in each numeric
/// family. (TensorPrimitives' widths, which no forced width reaches, are covered by the reference run in
/// <see cref="ReferenceTraining"/> and its fingerprint, checked by CI on every instruction set.)
/// </summary>
[Collection(NarrowedWidth.Name)]
public class WidthIndependentOptimizerAndLossTests
{
    [Theory]
    [MemberData(nameof(NarrowedWidth.Families), MemberType = typeof(NarrowedWidth))]
    public void TanhLogitsLbfgsMlp_EveryWidthSameWeights(bool unfused) => Same(NarrowedWidth.AtEveryWidth(ReferenceTraining.TanhLogitsLbfgsMlp, unfused));

    [Theory]
    [MemberData(nameof(NarrowedWidth.Families), MemberType = typeof(NarrowedWidth))]
    public void DoubleLbfgsMlp_EveryWidthSameWeights(bool unfused) => Same(NarrowedWidth.AtEveryWidth(() =>
    {
        var data = new Dataset<double>(Uniform<double>(51, 48, 33), Uniform<double>(52, 48, 2));
        var network = Network.Sequential<double>(33).Dense(24).Sigmoid().Dense(2).Build(seed: 53);
        var trainer = new Trainer<double>(network, new MeanSquaredError<double>(), new Lbfgs<double>(network.Parameters, maxIterations: 8));
        trainer.Fit(data, new TrainingOptions { Epochs = 2, BatchSize = 48, Seed = 54 });
        return network.Parameters.Select(p => p.ValueSpan.ToArray()).ToArray();
    }, unfused));

    [Theory]
    [MemberData(nameof(NarrowedWidth.Families), MemberType = typeof(NarrowedWidth))]
    public void DoubleBceWithLogitsTraining_EveryWidthSameWeights(bool unfused) => Same(NarrowedWidth.AtEveryWidth(() =>
    {
        var data = new Dataset<double>(Uniform<double>(61, 64, 10), Targets<double>(62, 64, 5));
        var network = Network.Sequential<double>(10).Dense(40).Sigmoid().Dense(5).Build(seed: 63);
        var trainer = new Trainer<double>(network, new BinaryCrossEntropyWithLogits<double>(), new Adam<double>(network.Parameters, 1e-2));
        trainer.Fit(data, new TrainingOptions { Epochs = 3, BatchSize = 16, Seed = 64 });
        return network.Parameters.Select(p => p.ValueSpan.ToArray()).ToArray();
    }, unfused));

    [Theory]
    [MemberData(nameof(NarrowedWidth.Families), MemberType = typeof(NarrowedWidth))]
    public void BceWithLogitsLoss_EveryWidthSameBits_AndNearTheDoubleFormula(bool unfused)
    {
        // 1,001 logits over [−40, 40], a long enough sum for every width's blocks and a tail.
        var z = Enumerable.Range(0, 1001).Select(i => -40 + 0.08 * i).ToArray();
        var y = Enumerable.Range(0, 1001).Select(i => (i % 7) / 6.0).ToArray();
        double expected = z.Select((v, i) => Math.Max(v, 0) - v * y[i] + Math.Log(1 + Math.Exp(-Math.Abs(v)))).Sum() / z.Length;
        var doubles = NarrowedWidth.AtEveryWidth(() => new BinaryCrossEntropyWithLogits<double>().Forward(Tensor.Create(z, [1001]), Tensor.Create(y, [1001])), unfused);
        var floats = NarrowedWidth.AtEveryWidth(() => new BinaryCrossEntropyWithLogits<float>().Forward(
            Tensor.Create(z.Select(v => (float)v).ToArray(), [1001]), Tensor.Create(y.Select(v => (float)v).ToArray(), [1001])), unfused);
        foreach (var (bits, loss) in doubles) BitConverter.DoubleToInt64Bits(loss).Should().Be(BitConverter.DoubleToInt64Bits(doubles[0].Result), $"double at {bits} bits");
        foreach (var (bits, loss) in floats) BitConverter.SingleToInt32Bits(loss).Should().Be(BitConverter.SingleToInt32Bits(floats[0].Result), $"float at {bits} bits");
        doubles[0].Result.Should().BeApproximately(expected, 1e-13 * expected);
        floats[0].Result.Should().BeApproximately((float)expected, 1e-5f * (float)expected);
    }

    [Fact]
    public void BceWithLogitsLoss_FarTail_KeepsItsSmallTerms()
    {
        // At z = 40 with target 1 the loss is log(1 + e^−40) = 4.248e-18, which log(1 + u) in double would round to 0.
        var loss = new BinaryCrossEntropyWithLogits<double>().Forward(Tensor.Create([40.0], [1]), Tensor.Create([1.0], [1]));
        loss.Should().BeApproximately(Math.Exp(-40), 1e-30);
    }

    [Theory]
    [MemberData(nameof(NarrowedWidth.Families), MemberType = typeof(NarrowedWidth))]
    public void SumOfMagnitudes_IsTheFixedSumOfTheAbsoluteValues_AtEveryWidth(bool unfused)
    {
        var random = new Random(8);
        foreach (int length in new[] { 0, 1, 31, 32, 33, 100, 1000, 4099 })
        {
            var x = Enumerable.Range(0, length).Select(_ => random.NextDouble() * 2 - 1).ToArray();
            var xf = x.Select(v => (float)v).ToArray();
            var expected = (FixedSum.Sum<double>(x.Select(Math.Abs).ToArray()), FixedSum.Sum<float>(xf.Select(MathF.Abs).ToArray()));
            foreach (var (bits, sums) in NarrowedWidth.AtEveryWidth(() => (FixedSum.SumOfMagnitudes<double>(x), FixedSum.SumOfMagnitudes<float>(xf)), unfused))
                sums.Should().Be(expected, $"{bits} bits, length {length}");
        }
        FixedSum.SumOfMagnitudes<double>([1, -2, 3.5]).Should().Be(6.5);
        double.IsNaN(FixedSum.SumOfMagnitudes<double>(Enumerable.Repeat(-1.0, 40).Append(double.NaN).ToArray())).Should().BeTrue();
    }

    private static void Same<T>(List<(int Bits, T[][] Weights)> widths)
    {
        var widest = widths[0].Weights;
        widest.Sum(p => p.Length).Should().BeGreaterThan(0);
        foreach (var (bits, weights) in widths)
            for (int p = 0; p < weights.Length; p++)
                weights[p].Should().Equal(widest[p], $"parameter {p} at {bits} bits must equal the widest path's");
    }

    private static Tensor<T> Uniform<T>(int seed, params int[] shape) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(seed);
        var values = new T[shape.Aggregate(1, (a, b) => a * b)];
        for (int i = 0; i < values.Length; i++) values[i] = T.CreateChecked(random.NextDouble() * 2 - 1);
        return Tensor.Create(values, shape.Select(d => (nint)d).ToArray());
    }

    private static Tensor<T> Targets<T>(int seed, params int[] shape) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(seed);
        var values = new T[shape.Aggregate(1, (a, b) => a * b)];
        for (int i = 0; i < values.Length; i++) values[i] = T.CreateChecked(random.Next(3) / 2.0);
        return Tensor.Create(values, shape.Select(d => (nint)d).ToArray());
    }
}
