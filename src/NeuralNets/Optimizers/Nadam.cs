using System.Numerics;
using System.Numerics.Tensors;

namespace NeuralNets.Optimizers;

/// <summary>NAdam: Adam with Nesterov momentum, the first moment taken one step ahead (Dozat).</summary>
/// <remarks>
/// With g = ∇J(w) (+ λw when the L2 weight decay λ is set), m and v starting at 0, t the step (1, 2, …)
/// and ψ the momentum decay:
/// <code>
/// μₜ = β1·(1 − ½·0.96^(t·ψ)),   μₜ₊₁ = β1·(1 − ½·0.96^((t+1)·ψ)),   Πₜ = μ₁·μ₂·…·μₜ
/// m ← β1·m + (1 − β1)·g
/// v ← β2·v + (1 − β2)·g²
/// d = √(v / (1 − β2ᵗ)) + ε
/// w ← w − η·(1 − μₜ)/(1 − Πₜ) · g/d
/// w ← w − η·μₜ₊₁/(1 − Πₜ·μₜ₊₁) · m/d
/// </code>
/// This is PyTorch's <c>NAdam</c>, including its order of operations: m moves toward g by linear
/// interpolation, m + (1 − β1)·(g − m), and the two corrections are added to w one after the other.
/// With <c>decoupledWeightDecay</c>, w ← w·(1 − η·λ) comes first and g has no λw term (PyTorch's
/// <c>decoupled_weight_decay=True</c>, "NAdamW"). Πₜ and the step coefficients are computed in double.
/// TorchSharp 0.107's own <c>NAdam</c> is not PyTorch's: its Π starts at 0 instead of 1, and its Πₜ₊₁
/// multiplies μₜ in twice; results from it will differ from these.
/// </remarks>
/// <typeparam name="T">The element type.</typeparam>
public sealed class Nadam<T> : IOptimizer<T>, IRangeUpdate where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Parameter<T>[] _parameters;
    private readonly T[][] _first, _second;
    private readonly T[] _gradient, _denominator, _scratch;
    private readonly T _beta1, _beta2, _epsilon, _weightDecay;
    private T _learningRate;
    private long _step;
    private double _muProduct = 1;
    // This step's coefficients, set by Step before the ranges run.
    private T _gradientStep, _momentumStep, _secondCorrection, _decayFactor;

    /// <summary>Creates the rule over <paramref name="parameters"/>.</summary>
    /// <param name="parameters">The parameters to update, e.g. <c>network.Parameters</c>.</param>
    /// <param name="learningRate">η, positive and finite. Default 2e-3 (PyTorch's).</param>
    /// <param name="beta1">β1, the decay of the first moment, in [0, 1). Default 0.9.</param>
    /// <param name="beta2">β2, the decay of the second moment, in [0, 1). Default 0.999.</param>
    /// <param name="epsilon">ε, positive. Default 1e-8.</param>
    /// <param name="weightDecay">λ, non-negative: an L2 term added to the gradient, or with
    /// <paramref name="decoupledWeightDecay"/> a decay of the weights themselves. Default 0.</param>
    /// <param name="momentumDecay">ψ, non-negative. Default 4e-3.</param>
    /// <param name="decoupledWeightDecay">Whether λ shrinks the weights directly instead of entering the gradient. Default false.</param>
    public Nadam(
        IEnumerable<Parameter<T>> parameters, double learningRate = 2e-3, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8,
        double weightDecay = 0, double momentumDecay = 4e-3, bool decoupledWeightDecay = false)
    {
        _parameters = OptimizerState.Collect(parameters);
        LearningRate = T.CreateChecked(learningRate);
        Beta1 = OptimizerChecks.UnitInterval(beta1, nameof(beta1));
        Beta2 = OptimizerChecks.UnitInterval(beta2, nameof(beta2));
        Epsilon = OptimizerChecks.Positive(epsilon, nameof(epsilon));
        WeightDecay = OptimizerChecks.NonNegative(weightDecay, nameof(weightDecay));
        MomentumDecay = OptimizerChecks.NonNegative(momentumDecay, nameof(momentumDecay));
        DecoupledWeightDecay = decoupledWeightDecay;
        _beta1 = T.CreateChecked(beta1);
        _beta2 = T.CreateChecked(beta2);
        _epsilon = T.CreateChecked(epsilon);
        _weightDecay = T.CreateChecked(weightDecay);
        _first = OptimizerState.PerParameter(_parameters);
        _second = OptimizerState.PerParameter(_parameters);
        // g + λw needs a buffer only for the L2 form; DecayedGradient never touches it when λ = 0.
        _gradient = weightDecay > 0 && !decoupledWeightDecay ? OptimizerState.Scratch(_parameters) : [];
        _denominator = OptimizerState.Scratch(_parameters);
        _scratch = OptimizerState.Scratch(_parameters);
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

    /// <summary>ε, added to the root of the second moment.</summary>
    public double Epsilon { get; }

    /// <summary>λ, the weight decay.</summary>
    public double WeightDecay { get; }

    /// <summary>ψ, how fast the momentum coefficient μₜ approaches β1.</summary>
    public double MomentumDecay { get; }

    /// <summary>Whether λ shrinks the weights directly (NAdamW) instead of entering the gradient.</summary>
    public bool DecoupledWeightDecay { get; }

    /// <inheritdoc/>
    public T Step(Func<T> evaluate)
    {
        ArgumentNullException.ThrowIfNull(evaluate);
        T loss = evaluate();
        _step++;
        // The coefficients in double, as PyTorch computes them from Python floats.
        double mu = Beta1 * (1 - 0.5 * Math.Pow(0.96, _step * MomentumDecay));
        double muNext = Beta1 * (1 - 0.5 * Math.Pow(0.96, (_step + 1) * MomentumDecay));
        _muProduct *= mu;
        double learningRate = double.CreateChecked(_learningRate);
        _gradientStep = T.CreateChecked(-learningRate * (1 - mu) / (1 - _muProduct));
        _momentumStep = T.CreateChecked(-learningRate * muNext / (1 - _muProduct * muNext));
        _secondCorrection = T.CreateChecked(1 - Math.Pow(Beta2, _step));
        _decayFactor = T.One - _learningRate * _weightDecay;
        for (int i = 0; i < _parameters.Length; i++) RangeUpdate.Run(this, _parameters[i], i);
        return loss;
    }

    void IRangeUpdate.UpdateRange(int index, int start, int length)
    {
        var p = _parameters[index];
        var w = p.ValueArray.AsSpan(start, length);
        ReadOnlySpan<T> g;
        if (DecoupledWeightDecay)
        {
            if (WeightDecay > 0) TensorPrimitives.Multiply(w, _decayFactor, w);
            g = p.GradientArray.AsSpan(start, length);
        }
        else g = OptimizerState.DecayedGradient(p.ValueArray, p.GradientArray, _weightDecay, _gradient, start, length);

        var m = _first[index].AsSpan(start, length);
        var v = _second[index].AsSpan(start, length);
        var d = _denominator.AsSpan(start, length);
        var scratch = _scratch.AsSpan(start, length);
        // m ← m + (1 − β1)·(g − m)
        TensorPrimitives.Subtract(g, m, scratch);
        TensorPrimitives.MultiplyAdd(scratch, T.One - _beta1, m, m);
        // v ← β2·v + (1 − β2)·g²
        TensorPrimitives.Multiply(v, _beta2, v);
        TensorPrimitives.Multiply(g, g, scratch);
        TensorPrimitives.MultiplyAdd(scratch, T.One - _beta2, v, v);
        // d = √(v / (1 − β2ᵗ)) + ε
        TensorPrimitives.Divide(v, _secondCorrection, d);
        TensorPrimitives.Sqrt(d, d);
        TensorPrimitives.Add(d, _epsilon, d);
        // w ← w + c₁·g/d, then w ← w + c₂·m/d
        TensorPrimitives.Divide(g, d, scratch);
        TensorPrimitives.MultiplyAdd(scratch, _gradientStep, w, w);
        TensorPrimitives.Divide(m, d, scratch);
        TensorPrimitives.MultiplyAdd(scratch, _momentumStep, w, w);
    }

    /// <inheritdoc/>
    public override string ToString() => FormattableString.Invariant(
        $"Nadam(learningRate={_learningRate}, beta1={Beta1}, beta2={Beta2}, epsilon={Epsilon}, weightDecay={WeightDecay}, momentumDecay={MomentumDecay}{(DecoupledWeightDecay ? ", decoupledWeightDecay=True" : "")})");
}
