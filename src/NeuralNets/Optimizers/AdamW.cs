using System.Numerics;
using System.Numerics.Tensors;

namespace NeuralNets.Optimizers;

/// <summary>AdamW: Adam with weight decay decoupled from the gradient (Loshchilov &amp; Hutter).</summary>
/// <remarks>
/// With g = ∇J(w) (no decay term), m and v starting at 0, and t the step (1, 2, …):
/// <code>
/// w ← w − η·λ·w
/// m ← β1·m + (1 − β1)·g
/// v ← β2·v + (1 − β2)·g²
/// m̂ = m / (1 − β1ᵗ)
/// v̂ = v / (1 − β2ᵗ)
/// w ← w − η·m̂ / (√v̂ + ε)
/// </code>
/// With <c>amsgrad</c>, v̂ uses the largest v so far instead: v_max ← max(v_max, v) (v_max starting at 0),
/// v̂ = v_max / (1 − β2ᵗ), as PyTorch's <c>amsgrad=True</c> does.
/// This is PyTorch's <c>AdamW</c>. The decay shrinks every weight by the same factor, whatever its
/// gradient history, instead of being rescaled by √v̂ as the L2 term of <see cref="Adam{T}"/> is.
/// </remarks>
/// <typeparam name="T">The element type.</typeparam>
public sealed class AdamW<T> : IOptimizer<T>, IRangeUpdate where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Parameter<T>[] _parameters;
    private readonly AdamMoments<T> _moments;
    private readonly T _weightDecay;
    private T _learningRate;

    /// <summary>Creates the rule over <paramref name="parameters"/>.</summary>
    /// <param name="parameters">The parameters to update, e.g. <c>network.Parameters</c>.</param>
    /// <param name="learningRate">η, positive and finite. Default 1e-3.</param>
    /// <param name="beta1">β1, the decay of the first moment, in [0, 1). Default 0.9.</param>
    /// <param name="beta2">β2, the decay of the second moment, in [0, 1). Default 0.999.</param>
    /// <param name="epsilon">ε, positive. Default 1e-8.</param>
    /// <param name="weightDecay">λ, the decoupled decay, non-negative. Default 0.01 (PyTorch's).</param>
    /// <param name="amsgrad">Whether to divide by the largest v̂ seen so far instead of the current one (AMSGrad, Reddi et al.; PyTorch's <c>amsgrad=True</c>). Default false.</param>
    public AdamW(IEnumerable<Parameter<T>> parameters, double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8, double weightDecay = 1e-2, bool amsgrad = false)
    {
        _parameters = OptimizerState.Collect(parameters);
        LearningRate = T.CreateChecked(learningRate);
        WeightDecay = OptimizerChecks.NonNegative(weightDecay, nameof(weightDecay));
        _moments = new AdamMoments<T>(_parameters, beta1, beta2, epsilon, amsgrad);
        Amsgrad = amsgrad;
        (Beta1, Beta2, Epsilon) = (beta1, beta2, epsilon);
        _weightDecay = T.CreateChecked(weightDecay);
    }

    /// <inheritdoc/>
    public IReadOnlyList<Parameter<T>> Parameters => _parameters;

    /// <inheritdoc/>
    public T LearningRate
    {
        get => _learningRate;
        set => _learningRate = OptimizerChecks.Positive(value, nameof(LearningRate));
    }

    /// <summary>β1, the decay of the first moment.</summary>
    public double Beta1 { get; }

    /// <summary>β2, the decay of the second moment.</summary>
    public double Beta2 { get; }

    /// <summary>ε, added after the square root of v̂.</summary>
    public double Epsilon { get; }

    /// <summary>Whether the AMSGrad variant is used: the denominator takes the largest second moment seen so far.</summary>
    public bool Amsgrad { get; }

    /// <summary>λ, the decoupled weight decay: each step multiplies w by 1 − η·λ.</summary>
    public double WeightDecay { get; }

    /// <inheritdoc/>
    public T Step(Func<T> evaluate)
    {
        ArgumentNullException.ThrowIfNull(evaluate);
        T loss = evaluate();
        _moments.NextStep();
        for (int i = 0; i < _parameters.Length; i++) RangeUpdate.Run(this, _parameters[i], i);
        return loss;
    }

    void IRangeUpdate.UpdateRange(int index, int start, int length)
    {
        var p = _parameters[index];
        var w = p.ValueArray.AsSpan(start, length);
        if (_weightDecay != T.Zero) TensorPrimitives.Multiply(w, T.One - _learningRate * _weightDecay, w);
        _moments.Apply(index, start, p.GradientArray.AsSpan(start, length), w, _learningRate);
    }

    /// <inheritdoc/>
    public override string ToString() => FormattableString.Invariant(
        $"AdamW(learningRate={_learningRate}, beta1={Beta1}, beta2={Beta2}, epsilon={Epsilon}, weightDecay={WeightDecay}{(Amsgrad ? ", amsgrad=True" : "")})");
}
