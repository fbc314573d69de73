using System.Numerics;
using System.Numerics.Tensors;
using NeuralNets.Layers;
using NeuralNets.Tensors;

namespace NeuralNets.Tests.Layers;

/// <summary>
/// Batch normalisation gives, bit for bit, what its formulas give computed one value at a time in double, each channel's
/// sums in their defined order (over planes, sixteen lanes along each plane: <see cref="Kernels.PlaneSumsReference"/>;
/// over rows, sample after sample): output and running statistics, input and parameter gradients, in training and at
/// inference; over <c>[N, C]</c> rows and over planes shorter and longer than the lanes, with and without a tail.
/// </summary>
public class BatchNormReferenceTests
{
    [Theory]
    [InlineData(7, 1)]    // [N, C]: the rows
    [InlineData(6, 15)]   // four channels side by side and a tail of two
    [InlineData(5, 1 * 7)]
    [InlineData(3, 9)]
    [InlineData(4, 33)]   // two blocks of lanes a plane and one value
    [InlineData(3, 16)]
    [InlineData(2, 40)]
    public void Float_SameBitsAsOneValueAtATime(int channels, int spread) => Check<float>(channels, spread, 0.1);

    [Theory]
    [InlineData(7, 1)]
    [InlineData(6, 15)]
    [InlineData(5, 7)]
    [InlineData(3, 48)]
    [InlineData(4, 19)]
    public void Double_SameBitsAsOneValueAtATime(int channels, int spread) => Check<double>(channels, spread, 0.1);

    [Theory]
    [InlineData(13, 1)]
    [InlineData(5, 18)]
    public void CumulativeAverage_SameBitsAsOneValueAtATime(int channels, int spread)
    {
        Check<float>(channels, spread, momentum: null);
        Check<double>(channels, spread, momentum: null);
    }

    private static void Check<T>(int channels, int spread, double? momentum) where T : unmanaged, IFloatingPointIeee754<T>
    {
        const int batch = 5;
        BatchNorm<T> layer = spread == 1 ? new BatchNorm1D<T>(channels, momentum) : new BatchNorm2D<T>(channels, momentum);
        var random = new Random(channels * 31 + spread);
        var gamma = new double[channels];
        var beta = new double[channels];
        for (int c = 0; c < channels; c++)
        {
            (layer.Weight!.ValueSpan[c], layer.Bias!.ValueSpan[c]) = (T.CreateTruncating(0.5 + random.NextDouble()), T.CreateTruncating(random.NextDouble() - 0.5));
            (gamma[c], beta[c]) = (double.CreateTruncating(layer.Weight.ValueSpan[c]), double.CreateTruncating(layer.Bias!.ValueSpan[c]));
        }
        int[] shape = spread == 1 ? [batch, channels] : spread % 3 == 0 ? [batch, channels, 3, spread / 3] : [batch, channels, 1, spread];
        var runningMean = new double[channels];
        var runningVariance = Enumerable.Repeat(1.0, channels).ToArray();
        for (int pass = 0; pass < 3; pass++)
        {
            bool training = pass < 2;
            var x = TestTensors.Random<T>(40 + pass, shape);
            var dy = TestTensors.Random<T>(50 + pass, shape);
            foreach (var p in layer.Parameters) p.ZeroGradient();
            var y = layer.Forward(x, training).ToArray();
            var dx = layer.Backward(dy).ToArray();

            var xs = x.ToArray().Select(double.CreateTruncating).ToArray();
            var gs = dy.ToArray().Select(double.CreateTruncating).ToArray();
            var expectedY = new T[xs.Length];
            var expectedDx = new T[xs.Length];
            int count = batch * spread;
            for (int c = 0; c < channels; c++)
            {
                int channel = c;
                double Sum(Func<int, double> term) => Kernels.PlaneSumsReference.InLanes(batch, channels, spread, channel, term);
                double mean, inverse;
                if (training)
                {
                    double sum = Sum(at => xs[at]);
                    mean = sum / count;
                    double squares = Sum(at => (xs[at] - mean) * (xs[at] - mean));
                    inverse = 1 / Math.Sqrt(squares / count + 1e-5);
                    double weight = momentum ?? 1.0 / (pass + 1);
                    runningMean[c] = double.CreateTruncating(T.CreateTruncating((1 - weight) * runningMean[c] + weight * mean));
                    runningVariance[c] = double.CreateTruncating(T.CreateTruncating((1 - weight) * runningVariance[c] + weight * squares / (count - 1)));
                }
                else (mean, inverse) = (runningMean[c], 1 / Math.Sqrt(runningVariance[c] + 1e-5));
                double scale = gamma[c] * inverse, sumDy = Sum(at => gs[at]), sumDyXHat = Sum(at => gs[at] * (xs[at] - mean) * inverse);
                for (int n = 0; n < batch; n++)
                    for (int i = 0; i < spread; i++)
                    {
                        int at = (n * channels + c) * spread + i;
                        expectedY[at] = T.CreateTruncating((xs[at] - mean) * scale + beta[c]);
                    }
                double meanDy = training ? sumDy / count : 0, meanDyXHat = training ? sumDyXHat / count : 0;
                for (int n = 0; n < batch; n++)
                    for (int i = 0; i < spread; i++)
                    {
                        int at = (n * channels + c) * spread + i;
                        double xHat = (xs[at] - mean) * inverse;
                        expectedDx[at] = T.CreateTruncating(scale * (gs[at] - meanDy - xHat * meanDyXHat));
                    }
                layer.Weight!.GradientSpan[c].Should().Be(T.CreateTruncating(sumDyXHat), $"pass {pass}, γ's gradient {c}");
                layer.Bias!.GradientSpan[c].Should().Be(T.CreateTruncating(sumDy), $"pass {pass}, β's gradient {c}");
                double.CreateTruncating(layer.RunningMean[c]).Should().Be(runningMean[c], $"pass {pass}, running mean {c}");
                double.CreateTruncating(layer.RunningVariance[c]).Should().Be(runningVariance[c], $"pass {pass}, running variance {c}");
            }
            y.Should().Equal(expectedY, $"pass {pass}: the output");
            dx.Should().Equal(expectedDx, $"pass {pass}: the input gradient");
        }
    }
}
