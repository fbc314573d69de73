using System.Globalization;
using System.Numerics;
using System.Numerics.Tensors;
using NeuralNets.Layers;
using NeuralNets.Tensors;

namespace NeuralNets.Diagnostics;

/// <summary>
/// Saliency maps: <c>|∂y_c/∂x|</c>, how strongly each input element moves the network's score y_c of class c
/// (Simonyan et al.'s gradient saliency). Large values mark the pixels the decision depends on.
/// </summary>
/// <remarks>
/// The network runs in inference mode; y is its output before any loss (use logits, not a Softmax, for crisp maps).
/// Every parameter gradient is zero afterwards. Do not call it while the same network trains on another thread.
/// </remarks>
public static partial class Saliency
{
    /// <summary>The saliency of each sample for the class the network predicts for it (the largest output).</summary>
    /// <param name="network">Any network whose output is <c>[N, classes]</c>.</param>
    /// <param name="input">A batch of inputs.</param>
    /// <typeparam name="T">The element type.</typeparam>
    /// <returns><c>|∂y_c/∂x|</c>, shaped like <paramref name="input"/>.</returns>
    public static Tensor<T> ForPredictedClass<T>(Sequential<T> network, Tensor<T> input) where T : unmanaged, IFloatingPointIeee754<T> =>
        Compute(network, input, targetClass: null);

    /// <summary>The saliency of every sample for class <paramref name="targetClass"/>.</summary>
    /// <param name="network">Any network whose output is <c>[N, classes]</c>.</param>
    /// <param name="input">A batch of inputs.</param>
    /// <param name="targetClass">The class c, 0 ≤ c &lt; classes.</param>
    /// <typeparam name="T">The element type.</typeparam>
    /// <returns><c>|∂y_c/∂x|</c>, shaped like <paramref name="input"/>.</returns>
    public static Tensor<T> ForClass<T>(Sequential<T> network, Tensor<T> input, int targetClass) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentRange.ThrowIfNegative(targetClass);
        return Compute(network, input, targetClass);
    }

    private static Tensor<T> Compute<T>(Sequential<T> network, Tensor<T> input, int? targetClass) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(input);
        int last = network.Layers.Count - 1;
        var output = PartialPass.Forward(network, last, input);
        if (output.Rank != 2)
            throw new ArgumentException($"Saliency needs a network whose output is [N, classes], but {network} gives {TensorMemory.ShapeText(output.Shape())}.", nameof(network));
        int batch = output.BatchSize(), classes = (int)output.Lengths[1];
        if (targetClass >= classes)
            throw new ArgumentOutOfRangeException(nameof(targetClass), string.Create(CultureInfo.InvariantCulture, $"The network has {classes} classes, 0 to {classes - 1}, so there is no class {targetClass}."));
        ReadOnlySpan<T> scores = output.Span();
        var seed = new T[batch * classes];
        for (int n = 0; n < batch; n++)
        {
            int c = targetClass ?? ArgMax(scores.Slice(n * classes, classes));
            seed[n * classes + c] = T.One;
        }
        var gradient = PartialPass.Backward(network, last, TensorMemory.Wrap(seed, [batch, classes]));
        var map = gradient.Span().ToArray();
        TensorPrimitives.Abs<T>(map, map);
        return TensorMemory.Wrap(map, input.Shape());
    }

    private static int ArgMax<T>(ReadOnlySpan<T> values) where T : IFloatingPointIeee754<T>
    {
        int best = 0;
        for (int i = 1; i < values.Length; i++)
            if (values[i] > values[best]) best = i;
        return best;
    }
}
