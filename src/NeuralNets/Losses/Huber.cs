using System.Globalization;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using NeuralNets.Kernels;
using NeuralNets.Layers;
using NeuralNets.Tensors;

namespace NeuralNets.Losses;

/// <summary>
/// Huber loss, the mean over every element, as PyTorch's <c>HuberLoss(delta)</c>: with d = ŷ − y,
/// <c>½d²</c> where <c>|d| &lt; δ</c> and <c>δ(|d| − ½δ)</c> elsewhere; <c>dL/dŷ = clamp(d, −δ, δ)/n</c>.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
public sealed class Huber<T> : ILoss<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly TensorBuffer<T> _gradient = new();
    private readonly T _delta;
    private Tensor<T>? _output;
    private Tensor<T>? _target;

    /// <summary>Creates the loss.</summary>
    /// <param name="delta">Where the quadratic part meets the linear one; finite and positive (PyTorch's default 1).</param>
    public Huber(double delta = 1.0)
    {
        if (!double.IsFinite(delta) || delta <= 0)
            throw new ArgumentOutOfRangeException(nameof(delta), string.Create(CultureInfo.InvariantCulture, $"Huber delta must be finite and positive, but was {delta}."));
        Delta = delta;
        _delta = T.CreateChecked(delta);
        LossRehearsal.QueueHuber<T>();
    }

    /// <summary>Where the quadratic part meets the linear one.</summary>
    public double Delta { get; }

    /// <inheritdoc/>
    [MethodImpl(HotPath.Options)]
    public T Forward(Tensor<T> output, Tensor<T> target)
    {
        LossChecks.SameShape(this, output, target);
        (_output, _target) = (output, target);
        ReadOnlySpan<T> y = output.Span(), t = target.Span();
        T half = T.CreateChecked(0.5), sum = T.Zero;
        for (int i = 0; i < y.Length; i++)
        {
            T d = T.Abs(y[i] - t[i]);
            sum += d < _delta ? half * d * d : _delta * (d - half * _delta);
        }
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
        for (int i = 0; i < g.Length; i++) g[i] = T.Clamp(y[i] - t[i], -_delta, _delta) * scale;
        return gradient;
    }

    /// <inheritdoc/>
    public override string ToString() => $"Huber(delta={Delta.ToString(System.Globalization.CultureInfo.InvariantCulture)})";
}
