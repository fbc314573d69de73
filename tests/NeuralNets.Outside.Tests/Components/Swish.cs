using System.Numerics;
using NeuralNets.Layers;
using NeuralNets.Serialization;

namespace NeuralNets.Outside.Tests.Components;

/// <summary>Swish, <c>y = x·σ(βx)</c>, written as a user writes an activation: a kind name, the function, its derivative.</summary>
/// <typeparam name="T">The element type.</typeparam>
public sealed class Swish<T>(double beta = 1) : Activation<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T _beta = T.CreateChecked(beta);

    /// <summary>β, the slope inside the sigmoid.</summary>
    public double Beta { get; } = beta;

    public override string Kind => "Swish";

    // Each element on its own: a long tensor is cut into ranges that run on the helper threads.
    protected override bool SplitsAcrossThreads => true;

    protected override void Activate(ReadOnlySpan<T> x, Span<T> y)
    {
        for (int i = 0; i < x.Length; i++) y[i] = x[i] * Sigma(x[i]);
    }

    // swish′(x) = σ(βx) + βx·σ(βx)(1 − σ(βx))
    protected override void Differentiate(ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx)
    {
        for (int i = 0; i < x.Length; i++)
        {
            T s = Sigma(x[i]);
            dx[i] = dy[i] * (s + _beta * x[i] * s * (T.One - s));
        }
    }

    private T Sigma(T x) => T.One / (T.One + T.Exp(-_beta * x));

    public override LayerDescription Describe() => new(Kind, new Dictionary<string, double> { ["beta"] = Beta });
}

/// <summary>Rebuilds a <see cref="Swish{T}"/> from its description.</summary>
public sealed class SwishKind() : LayerKind("Swish")
{
    public override ILayer<T> Create<T>(LayerSettings settings) => new Swish<T>(settings.Finite("beta"));
}
