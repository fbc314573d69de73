using System.Numerics;
using System.Numerics.Tensors;

namespace NeuralNets.Optimizers;

/// <summary>Nesterov accelerated gradient (NAG) in the lecture's look-ahead form.</summary>
/// <remarks>
/// With learning rate η, momentum factor γ and v starting at 0, the gradient is taken at the look-ahead point:
/// <code>
/// v ← γ·v + η·∇J(w − γ·v)        (+ η·λ·(w − γ·v) when weight decay λ is set)
/// w ← w − v
/// </code>
/// <see cref="Step"/> moves the parameters to w − γv, calls <c>evaluate</c> once there, puts w back (exactly,
/// from a copy, even if <c>evaluate</c> throws) and then applies the update. The loss it returns is the loss at
/// the look-ahead point, the only point it evaluates.
/// <para>
/// Relation to PyTorch's <c>SGD(momentum=γ, nesterov=True)</c>, which stores θ and b with b ← γ·b + ∇J(θ),
/// θ ← θ − η·(∇J(θ) + γ·b): its parameters equal the lecture's look-ahead point, θ = w − γ·v, after every step,
/// and b = v/η. This holds exactly while η is constant; a schedule that changes η breaks the equality.
/// </para>
/// </remarks>
/// <typeparam name="T">The element type.</typeparam>
public sealed class Nesterov<T> : IOptimizer<T>, IRangeUpdate where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Parameter<T>[] _parameters;
    private readonly T[][] _velocity;
    private readonly T[][] _saved;
    private readonly T[] _scratch;
    private readonly T _gamma, _weightDecay;
    private T _learningRate;
    private Phase _phase; // which pass RunPhase is making over the parameters

    private enum Phase { LookAhead, Restore, Update }

    /// <summary>Creates the rule over <paramref name="parameters"/>.</summary>
    /// <param name="parameters">The parameters to update, e.g. <c>network.Parameters</c>.</param>
    /// <param name="learningRate">η, positive and finite.</param>
    /// <param name="momentum">γ, the fraction of the last update kept, in [0, 1). Default 0.9.</param>
    /// <param name="weightDecay">λ of the L2 penalty added to the gradient, non-negative. Default 0.</param>
    public Nesterov(IEnumerable<Parameter<T>> parameters, double learningRate, double momentum = 0.9, double weightDecay = 0)
    {
        _parameters = OptimizerState.Collect(parameters);
        LearningRate = T.CreateChecked(learningRate);
        Gamma = OptimizerChecks.UnitInterval(momentum, nameof(momentum));
        WeightDecay = OptimizerChecks.NonNegative(weightDecay, nameof(weightDecay));
        _gamma = T.CreateChecked(Gamma);
        _weightDecay = T.CreateChecked(WeightDecay);
        _velocity = OptimizerState.PerParameter(_parameters);
        _saved = OptimizerState.PerParameter(_parameters);
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

    /// <summary>γ, the momentum factor (PyTorch's <c>momentum</c>).</summary>
    public double Gamma { get; }

    /// <summary>λ, the L2 weight decay added to the gradient.</summary>
    public double WeightDecay { get; }

    /// <inheritdoc/>
    public T Step(Func<T> evaluate)
    {
        ArgumentNullException.ThrowIfNull(evaluate);
        RunPhase(Phase.LookAhead);
        T loss;
        try
        {
            loss = evaluate();
        }
        catch
        {
            RunPhase(Phase.Restore);
            throw;
        }
        RunPhase(Phase.Update);
        return loss;
    }

    private void RunPhase(Phase phase)
    {
        _phase = phase;
        for (int i = 0; i < _parameters.Length; i++) RangeUpdate.Run(this, _parameters[i], i);
    }

    void IRangeUpdate.UpdateRange(int index, int start, int length)
    {
        var p = _parameters[index];
        var w = p.ValueArray.AsSpan(start, length);
        var saved = _saved[index].AsSpan(start, length);
        var v = _velocity[index].AsSpan(start, length);
        switch (_phase)
        {
            case Phase.LookAhead:
                // Keep w, then evaluate at w − γv.
                w.CopyTo(saved);
                TensorPrimitives.MultiplyAdd(v, -_gamma, w, w);
                break;
            case Phase.Restore:
                // From the copy: w − γv + γv is not w in floating point.
                saved.CopyTo(w);
                break;
            default:
                // v ← γv + η∇J(w − γv) (the decay term at the look-ahead point too), then w ← w − v from the kept w.
                var g = OptimizerState.DecayedGradient(p.ValueArray, p.GradientArray, _weightDecay, _scratch, start, length);
                TensorPrimitives.Multiply(v, _gamma, v);
                TensorPrimitives.MultiplyAdd(g, _learningRate, v, v);
                saved.CopyTo(w);
                TensorPrimitives.Subtract(w, v, w);
                break;
        }
    }

    /// <inheritdoc/>
    public override string ToString() => FormattableString.Invariant($"Nesterov(learningRate={_learningRate}, momentum={Gamma}, weightDecay={WeightDecay})");
}
