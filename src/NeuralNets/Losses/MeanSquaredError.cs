using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using NeuralNets.Kernels;
using NeuralNets.Layers;
using NeuralNets.Tensors;

namespace NeuralNets.Losses;

/// <summary>
/// Mean squared error over every element, as PyTorch's <c>MSELoss()</c>:
/// <c>L = (1/n) Σ (ŷ − y)²</c>, so <c>dL/dŷ = 2(ŷ − y)/n</c>, with n = batch × outputs.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
public sealed class MeanSquaredError<T> : ILoss<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly TensorBuffer<T> _gradient = new();
    private Tensor<T>? _output;
    private Tensor<T>? _target;

    /// <summary>Creates the loss. The first one of its element type in a process starts compiling its passes on another core.</summary>
    public MeanSquaredError() => LossRehearsal.QueueMeanSquaredError<T>();

    /// <inheritdoc/>
    [MethodImpl(HotPath.Options)]
    public T Forward(Tensor<T> output, Tensor<T> target)
    {
        LossChecks.SameShape(this, output, target);
        _output = output;
        _target = target;
        ReadOnlySpan<T> y = output.Span(), t = target.Span();
        T sum = T.Zero;
        for (int i = 0; i < y.Length; i++)
        {
            T d = y[i] - t[i];
            sum += d * d;
        }
        return sum / T.CreateChecked(y.Length);
    }

    /// <inheritdoc/>
    [MethodImpl(HotPath.Options)]
    public Tensor<T> Backward()
    {
        var output = _output ?? throw PassOrder.BackwardBeforeForward(this);
        var gradient = _gradient.GetLike(output);
        var g = gradient.Span();
        TensorPrimitives.Subtract(output.Span(), _target!.Span(), g);
        TensorPrimitives.Multiply(g, T.CreateChecked(2) / T.CreateChecked(g.Length), g);
        return gradient;
    }

    /// <inheritdoc/>
    public override string ToString() => "MeanSquaredError()";
}
