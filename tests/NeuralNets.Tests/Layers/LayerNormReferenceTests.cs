using NeuralNets.Layers;

namespace NeuralNets.Tests.Layers;

/// <summary>
/// LayerNorm against nn.LayerNorm's outputs and autograd gradients (PyTorchLayerNormValues.cs, from
/// tests/PyTorchReference/layer_norm.py), within 1e-10 relative to max(1, |value|).
/// </summary>
public class LayerNormReferenceTests
{
    public static TheoryData<int> Cases => [.. Enumerable.Range(0, PyTorchLayerNormValues.Cases.Length)];

    [Theory]
    [MemberData(nameof(Cases))]
    public void ForwardBackward_RecordedCase_MatchesTorch(int index)
    {
        var recorded = PyTorchLayerNormValues.Cases[index];
        var layer = new LayerNorm<double>(recorded.NormalizedShape, recorded.Epsilon, recorded.Affine);
        if (recorded.Affine)
        {
            recorded.Weight.CopyTo(layer.Weight!.ValueSpan);
            recorded.Bias.CopyTo(layer.Bias!.ValueSpan);
        }
        var y = layer.Forward(TestTensors.Create(recorded.Input, recorded.Shape), training: true).ToArray();
        ShouldMatch(y, recorded.Output, recorded.Name + ": output");
        var dx = layer.Backward(TestTensors.Create(recorded.OutputGradient, recorded.Shape)).ToArray();
        ShouldMatch(dx, recorded.InputGradient, recorded.Name + ": input gradient");
        if (!recorded.Affine) return;
        ShouldMatch(layer.Weight!.GradientSpan.ToArray(), recorded.WeightGradient, recorded.Name + ": weight gradient");
        ShouldMatch(layer.Bias!.GradientSpan.ToArray(), recorded.BiasGradient, recorded.Name + ": bias gradient");
    }

    private static void ShouldMatch(double[] actual, double[] expected, string what)
    {
        actual.Length.Should().Be(expected.Length, what);
        for (int i = 0; i < actual.Length; i++)
            Math.Abs(actual[i] - expected[i]).Should().BeLessThanOrEqualTo(1e-10 * Math.Max(1, Math.Abs(expected[i])), $"{what} [{i}]");
    }
}
