using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using NeuralNets.Kernels;
using NeuralNets.Layers;
using NeuralNets.Tensors;

namespace NeuralNets.Losses;

/// <summary>
/// Mean absolute error over every element (L1), as PyTorch's <c>L1Loss()</c>: <c>L = (1/n) Σ |ŷ − y|</c>,
/// <c>dL/dŷ = sign(ŷ − y)/n</c>, with sign(0) = 0 as PyTorch takes it.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
public sealed class L1Loss<T> : ILoss<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly TensorBuffer<T> _gradient = new();
    private Tensor<T>? _output;
    private Tensor<T>? _target;

    /// <summary>Creates the loss. The first one of its element type in a process starts compiling its passes on another core.</summary>
    public L1Loss() => LossRehearsal.QueueL1Loss<T>();

    /// <inheritdoc/>
    [MethodImpl(HotPath.Options)]
    public T Forward(Tensor<T> output, Tensor<T> target)
    {
        LossChecks.SameShape(this, output, target);
        (_output, _target) = (output, target);
        ReadOnlySpan<T> y = output.Span(), t = target.Span();
        T sum = T.Zero;
        for (int i = 0; i < y.Length; i++) sum += T.Abs(y[i] - t[i]);
        return sum / T.CreateChecked(y.Length);
    }

    /// <inheritdoc/>
    [MethodImpl(HotPath.Options)]
    public Tensor<T> Backward()
    {
        var output = _output ?? throw PassOrder.BackwardBeforeForward(this);
        var gradient = _gradient.GetLike(output);
        Span<T> g = gradient.Span();
        ReadOnlySpan<T> y = output.Span(), t = _target!.Span();
        T scale = T.One / T.CreateChecked(g.Length);
        for (int i = 0; i < g.Length; i++)
        {
            T d = y[i] - t[i];
            // A NaN difference stays NaN, as in PyTorch's sgn.
            g[i] = (d > T.Zero ? scale : d < T.Zero ? -scale : d == T.Zero ? T.Zero : d);
        }
        return gradient;
    }

    /// <inheritdoc/>
    public override string ToString() => "L1Loss()";
}
