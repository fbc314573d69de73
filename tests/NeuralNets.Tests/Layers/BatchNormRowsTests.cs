using System.Numerics;
using System.Numerics.Tensors;
using NeuralNets.Layers;
using NeuralNets.Tensors;

namespace NeuralNets.Tests.Layers;

/// <summary>
/// BatchNorm1D over <c>[N, C]</c> takes its statistics row by row, every channel at once: the same bits as the per-channel
/// loops give the same values laid out as <c>[1, C, N]</c> (one sample, each channel's N values a plane), whose sums run
/// over the same values in the same order. Output, running statistics, input and parameter gradients; training and inference.
/// </summary>
public class BatchNormRowsTests
{
    [Theory]
    [InlineData(0.1)]
    [InlineData(null)]
    public void Float_RowsGiveThePlanesBits(double? momentum) => Check<float>(momentum);

    [Theory]
    [InlineData(0.1)]
    [InlineData(null)]
    public void Double_RowsGiveThePlanesBits(double? momentum) => Check<double>(momentum);

    private static void Check<T>(double? momentum) where T : unmanaged, IFloatingPointIeee754<T>
    {
        const int batch = 9, channels = 13;
        var rows = new BatchNorm1D<T>(channels, momentum);
        var planes = new BatchNorm1D<T>(channels, momentum);
        var random = new Random(3);
        for (int c = 0; c < channels; c++)
        {
            T gamma = T.CreateTruncating(0.5 + random.NextDouble()), beta = T.CreateTruncating(random.NextDouble() - 0.5);
            (rows.Weight!.ValueSpan[c], rows.Bias!.ValueSpan[c]) = (gamma, beta);
            (planes.Weight!.ValueSpan[c], planes.Bias!.ValueSpan[c]) = (gamma, beta);
        }
        for (int pass = 0; pass < 3; pass++)
        {
            bool training = pass < 2;
            var x = TestTensors.Random<T>(10 + pass, batch, channels);
            var dy = TestTensors.Random<T>(20 + pass, batch, channels);
            rows.ZeroGradients();
            planes.ZeroGradients();

            var y = rows.Forward(x, training).ToArray();
            var yPlanes = Transposed(planes.Forward(AsPlanes(x.ToArray(), batch, channels), training).ToArray(), batch, channels);
            var dx = rows.Backward(dy).ToArray();
            var dxPlanes = Transposed(planes.Backward(AsPlanes(dy.ToArray(), batch, channels)).ToArray(), batch, channels);

            y.Should().Equal(yPlanes, $"pass {pass}: the output");
            dx.Should().Equal(dxPlanes, $"pass {pass}: the input gradient");
            rows.RunningMean.ToArray().Should().Equal(planes.RunningMean.ToArray(), $"pass {pass}: the running mean");
            rows.RunningVariance.ToArray().Should().Equal(planes.RunningVariance.ToArray(), $"pass {pass}: the running variance");
            rows.Weight!.GradientSpan.ToArray().Should().Equal(planes.Weight!.GradientSpan.ToArray(), $"pass {pass}: γ's gradient");
            rows.Bias!.GradientSpan.ToArray().Should().Equal(planes.Bias!.GradientSpan.ToArray(), $"pass {pass}: β's gradient");
        }
    }

    // [N, C] values as [1, C, N] (toPlanes), or the [1, C, N] ones back as [N, C].
    private static T[] Transposed<T>(T[] values, int batch, int channels, bool toPlanes = false) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var result = new T[values.Length];
        for (int n = 0; n < batch; n++)
            for (int c = 0; c < channels; c++)
                if (toPlanes) result[c * batch + n] = values[n * channels + c];
                else result[n * channels + c] = values[c * batch + n];
        return result;
    }

    private static Tensor<T> AsPlanes<T>(T[] values, int batch, int channels) where T : unmanaged, IFloatingPointIeee754<T> =>
        TensorMemory.Wrap(Transposed(values, batch, channels, toPlanes: true), [1, channels, batch]);
}

file static class BatchNormTestExtensions
{
    public static void ZeroGradients<T>(this BatchNorm1D<T> layer) where T : unmanaged, IFloatingPointIeee754<T>
    {
        foreach (var p in layer.Parameters) p.ZeroGradient();
    }
}
