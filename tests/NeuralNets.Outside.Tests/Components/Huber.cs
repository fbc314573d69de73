using System.Numerics;
using System.Numerics.Tensors;
using NeuralNets.Losses;
using NeuralNets.Tensors;

namespace NeuralNets.Outside.Tests.Components;

/// <summary>
/// The Huber loss, as PyTorch's <c>HuberLoss(delta)</c>: with d = ŷ − y, each element costs ½d² where |d| ≤ δ and
/// δ(|d| − ½δ) elsewhere, averaged over all n elements; <c>dL/dŷ = clamp(d, −δ, δ)/n</c>.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
public sealed class Huber<T>(double delta = 1) : ILoss<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly TensorBuffer<T> _gradient = new();
    private readonly T _delta = delta > 0 ? T.CreateChecked(delta) : throw new ArgumentOutOfRangeException(nameof(delta), delta, "δ must be positive.");
    private Tensor<T>? _output, _target;

    public bool TakesClassIndices => false;

    public T Forward(Tensor<T> output, Tensor<T> target)
    {
        LossChecks.SameShape(this, output, target);
        (_output, _target) = (output, target);
        ReadOnlySpan<T> y = output.Span(), t = target.Span();
        T half = T.CreateChecked(0.5), sum = T.Zero;
        for (int i = 0; i < y.Length; i++)
        {
            T d = T.Abs(y[i] - t[i]);
            sum += d <= _delta ? half * d * d : _delta * (d - half * _delta);
        }
        return sum / T.CreateChecked(y.Length);
    }

    public Tensor<T> Backward()
    {
        var output = _output ?? throw new InvalidOperationException($"{this}: Backward called before Forward.");
        var gradient = _gradient.GetLike(output);
        Span<T> g = gradient.Span();
        TensorPrimitives.Subtract(output.Span(), _target!.Span(), g);
        TensorPrimitives.Clamp(g, -_delta, _delta, g);
        TensorPrimitives.Divide(g, T.CreateChecked(g.Length), g);
        return gradient;
    }

    public override string ToString() => FormattableString.Invariant($"Huber(delta={delta})");
}
