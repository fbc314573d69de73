using System.Numerics;
using System.Numerics.Tensors;
using NeuralNets.Kernels;
using NeuralNets.Tensors;

namespace NeuralNets.Losses;

/// <summary>
/// Sigmoid followed by binary cross-entropy, fused and stable, as PyTorch's <c>BCEWithLogitsLoss()</c>:
/// <c>L = (1/n) Σ max(z, 0) − z·y + log(1 + e^(−|z|))</c>, <c>dL/dz = (σ(z) − y) / n</c>, n = all elements.
/// </summary>
/// <remarks>Targets have the output's shape and lie in [0, 1].</remarks>
/// <typeparam name="T">The element type.</typeparam>
public sealed class BinaryCrossEntropyWithLogits<T> : ILoss<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly TensorBuffer<T> _gradient = new();
    private Tensor<T>? _output;
    private Tensor<T>? _target;

    /// <inheritdoc/>
    public T Forward(Tensor<T> output, Tensor<T> target)
    {
        LossChecks.SameShape(this, output, target);
        ReadOnlySpan<T> z = output.Span(), y = target.Span();
        T total = T.Zero;
        for (int i = 0; i < z.Length; i++)
        {
            if (!(y[i] >= T.Zero && y[i] <= T.One))
                throw new ArgumentOutOfRangeException(nameof(target), y[i], $"{this}: target {y[i]} at element {i} is outside [0, 1].");
            total += T.Max(z[i], T.Zero) - z[i] * y[i] + T.LogP1(T.Exp(-T.Abs(z[i])));
        }
        _output = output;
        _target = target;
        return total / T.CreateChecked(z.Length);
    }

    /// <inheritdoc/>
    public Tensor<T> Backward()
    {
        var output = _output ?? throw new InvalidOperationException($"{this}: Backward called before Forward.");
        var gradient = _gradient.GetLike(output);
        var g = gradient.Span();
        Exponential.Sigmoid(output.Span(), g);
        TensorPrimitives.Subtract(g, _target!.Span(), g);
        TensorPrimitives.Multiply(g, T.One / T.CreateChecked(g.Length), g);
        return gradient;
    }

    /// <inheritdoc/>
    public override string ToString() => "BinaryCrossEntropyWithLogits()";
}
