using System.Globalization;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using NeuralNets.Kernels;
using NeuralNets.Layers;
using NeuralNets.Tensors;

namespace NeuralNets.Losses;

/// <summary>
/// Sigmoid followed by binary cross-entropy, fused and stable, as PyTorch's <c>BCEWithLogitsLoss()</c>:
/// <c>L = (1/n) Σ max(z, 0) − z·y + log(1 + e^(−|z|))</c>, <c>dL/dz = (σ(z) − y) / n</c>, n = all elements.
/// </summary>
/// <remarks>Targets have the output's shape and lie in [0, 1]. The loss is the same on every CPU of a numeric family:
/// each element's term is computed in double with the library's exponential and logarithm series, and the terms are
/// summed in an order that does not follow the vector width (<c>Kernels/FixedSum.cs</c>).</remarks>
/// <typeparam name="T">The element type.</typeparam>
public sealed class BinaryCrossEntropyWithLogits<T> : ILoss<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly TensorBuffer<T> _gradient = new();
    private readonly TensorBuffer<T> _terms = new();
    private Tensor<T>? _output;
    private Tensor<T>? _target;

    /// <summary>Creates the loss. The first one of its element type in a process starts compiling its passes on another core.</summary>
    public BinaryCrossEntropyWithLogits() => LossRehearsal.QueueBinaryCrossEntropyWithLogits<T>();

    /// <inheritdoc/>
    [MethodImpl(HotPath.Options)]
    public T Forward(Tensor<T> output, Tensor<T> target)
    {
        LossChecks.SameShape(this, output, target);
        ReadOnlySpan<T> z = output.Span(), y = target.Span();
        var terms = _terms.GetLike(output).Span();
        for (int i = 0; i < z.Length; i++)
        {
            if (!(y[i] >= T.Zero && y[i] <= T.One))
                throw TargetOutsideUnitInterval(y[i], i);
            double zi = double.CreateTruncating(z[i]);
            terms[i] = T.CreateTruncating(Math.Max(zi, 0) - zi * double.CreateTruncating(y[i]) + LogOnePlusExpMinus(Math.Abs(zi)));
        }
        _output = output;
        _target = target;
        return FixedSum.Sum<T>(terms) / T.CreateChecked(z.Length);
    }

    /// <summary>
    /// log(1 + e^(−a)) for a ≥ 0 (or NaN), with the library's exponential and, for the logarithm, 2·atanh(s) =
    /// 2s(1 + s²/3 + s⁴/5 + … + s³⁴/35) with s = u/(2 + u) ≤ 1/3 for u = e^(−a) (the series is then within 1e-17 of
    /// its sum): plain products and sums, so the same value on every CPU and C library.
    /// </summary>
    private static double LogOnePlusExpMinus(double a)
    {
        double u = Exponential.Of(-a), s = u / (2 + u), w = s * s;
        double series = 1.0 / 35;
        for (int k = 33; k >= 3; k -= 2) series = series * w + 1.0 / k;
        return 2 * s + 2 * s * w * series;
    }

    /// <inheritdoc/>
    [MethodImpl(HotPath.Options)]
    public Tensor<T> Backward()
    {
        var output = _output ?? throw PassOrder.BackwardBeforeForward(this);
        var gradient = _gradient.GetLike(output);
        var g = gradient.Span();
        Exponential.Sigmoid(output.Span(), g);
        TensorPrimitives.Subtract(g, _target!.Span(), g);
        TensorPrimitives.Multiply(g, T.One / T.CreateChecked(g.Length), g);
        return gradient;
    }

    /// <inheritdoc/>
    public override string ToString() => "BinaryCrossEntropyWithLogits()";

    // Built apart, so that the pass, compiled fully optimised (HotPath), does not carry its formatting.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private ArgumentOutOfRangeException TargetOutsideUnitInterval(T target, int index) =>
        new("target", string.Create(CultureInfo.InvariantCulture, $"{this}: target {target} at element {index} is outside [0, 1]."));
}
