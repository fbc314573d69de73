using System.Numerics.Tensors;
using NeuralNets.Layers;

namespace NeuralNets.Tests.Diagnostics;

/// <summary>
/// A correct layer whose Backward then gets one parameter's gradient wrong: the contribution of this call to the elements
/// <c>slipped</c> names is multiplied by <c>factor</c> (1 + 1e-4 for a slip in the fourth digit, 2 for a doubled gradient).
/// </summary>
internal sealed class SlippedLayer(ILayer<double> inner, int parameter, double factor, params int[] slipped) : ILayer<double>
{
    public IReadOnlyList<Parameter<double>> Parameters => inner.Parameters;

    public Tensor<double> Forward(Tensor<double> input, bool training = false) => inner.Forward(input, training);

    public Tensor<double> Backward(Tensor<double> outputGradient)
    {
        var before = new double[slipped.Length];
        for (int k = 0; k < slipped.Length; k++) before[k] = inner.Parameters[parameter].GradientSpan[slipped[k]];
        var inputGradient = inner.Backward(outputGradient);
        var gradient = inner.Parameters[parameter].GradientSpan;
        for (int k = 0; k < slipped.Length; k++)
            gradient[slipped[k]] = before[k] + factor * (gradient[slipped[k]] - before[k]);
        return inputGradient;
    }

    public IReadOnlyList<int> OutputShape(IReadOnlyList<int> inputShape) => inner.OutputShape(inputShape);

    public LayerDescription Describe() => inner.Describe();

    /// <summary>Every flat index of parameter <paramref name="parameter"/> of <paramref name="layer"/>.</summary>
    public static int[] All(ILayer<double> layer, int parameter) => Enumerable.Range(0, layer.Parameters[parameter].GradientSpan.Length).ToArray();
}
