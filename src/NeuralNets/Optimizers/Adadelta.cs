using System.Numerics;
using System.Numerics.Tensors;

namespace NeuralNets.Optimizers;

/// <summary>Adadelta: Adagrad over a decaying window of past gradients, with the step's units fixed by past updates.</summary>
/// <remarks>
/// With g = ∇J(w) (+ λw when weight decay λ is set), E[g²] and E[Δw²] starting at 0, decay ρ and learning rate η:
/// <code>
/// E[g²]  ← ρ·E[g²] + (1 − ρ)·g²
/// Δw     = √(E[Δw²] + ε) / √(E[g²] + ε) ⊙ g
/// E[Δw²] ← ρ·E[Δw²] + (1 − ρ)·Δw²
/// w      ← w − η·Δw
/// </code>
/// This is PyTorch's <c>Adadelta</c>; η = 1 is Zeiler's original rule.
/// </remarks>
/// <typeparam name="T">The element type.</typeparam>
public sealed class Adadelta<T> : IOptimizer<T>, IRangeUpdate where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Parameter<T>[] _parameters;
    private readonly T[][] _squaredGradients, _squaredUpdates;
    private readonly T[] _gradient, _scratch, _update;
    private readonly T _rho, _epsilon, _weightDecay;
    private T _learningRate;

    /// <summary>Creates the rule over <paramref name="parameters"/>.</summary>
    /// <param name="parameters">The parameters to update, e.g. <c>network.Parameters</c>.</param>
    /// <param name="learningRate">η, positive and finite. Default 1.0 (PyTorch's).</param>
    /// <param name="rho">ρ, the decay of both running averages, in [0, 1). Default 0.9.</param>
    /// <param name="epsilon">ε, positive. Default 1e-6.</param>
    /// <param name="weightDecay">λ of the L2 penalty added to the gradient, non-negative. Default 0.</param>
    public Adadelta(IEnumerable<Parameter<T>> parameters, double learningRate = 1.0, double rho = 0.9, double epsilon = 1e-6, double weightDecay = 0)
    {
        _parameters = OptimizerState.Collect(parameters);
        LearningRate = T.CreateChecked(learningRate);
        Rho = OptimizerChecks.UnitInterval(rho, nameof(rho));
        Epsilon = OptimizerChecks.Positive(epsilon, nameof(epsilon));
        WeightDecay = OptimizerChecks.NonNegative(weightDecay, nameof(weightDecay));
        _rho = T.CreateChecked(rho);
        _epsilon = T.CreateChecked(epsilon);
        _weightDecay = T.CreateChecked(weightDecay);
        _squaredGradients = OptimizerState.PerParameter(_parameters);
        _squaredUpdates = OptimizerState.PerParameter(_parameters);
        _gradient = OptimizerState.Scratch(_parameters);
        _scratch = OptimizerState.Scratch(_parameters);
        _update = OptimizerState.Scratch(_parameters);
    }

    /// <inheritdoc/>
    public IReadOnlyList<Parameter<T>> Parameters => _parameters;

    /// <inheritdoc/>
    public T LearningRate
    {
        get => _learningRate;
        set => _learningRate = OptimizerChecks.Positive(value, nameof(LearningRate));
    }

    /// <summary>ρ, the decay of the running averages.</summary>
    public double Rho { get; }

    /// <summary>ε, added inside both square roots.</summary>
    public double Epsilon { get; }

    /// <summary>λ, the L2 weight decay added to the gradient.</summary>
    public double WeightDecay { get; }

    /// <inheritdoc/>
    public T Step(Func<T> evaluate)
    {
        ArgumentNullException.ThrowIfNull(evaluate);
        T loss = evaluate();
        for (int i = 0; i < _parameters.Length; i++) RangeUpdate.Run(this, _parameters[i], i);
        return loss;
    }

    void IRangeUpdate.UpdateRange(int index, int start, int length)
    {
        T keep = T.One - _rho;
        var p = _parameters[index];
        var g = OptimizerState.DecayedGradient(p.ValueArray, p.GradientArray, _weightDecay, _gradient, start, length);
        var squaredGradients = _squaredGradients[index].AsSpan(start, length);
        var squaredUpdates = _squaredUpdates[index].AsSpan(start, length);
        var scratch = _scratch.AsSpan(start, length);
        var update = _update.AsSpan(start, length);
        var w = p.ValueArray.AsSpan(start, length);
        TensorPrimitives.Multiply(squaredGradients, _rho, squaredGradients);
        TensorPrimitives.Multiply(g, g, scratch);
        TensorPrimitives.MultiplyAdd(scratch, keep, squaredGradients, squaredGradients);

        TensorPrimitives.Add(squaredGradients, _epsilon, scratch);
        TensorPrimitives.Sqrt(scratch, scratch);
        TensorPrimitives.Add(squaredUpdates, _epsilon, update);
        TensorPrimitives.Sqrt(update, update);
        TensorPrimitives.Divide(update, scratch, update);
        TensorPrimitives.Multiply(update, g, update);

        TensorPrimitives.Multiply(squaredUpdates, _rho, squaredUpdates);
        TensorPrimitives.Multiply(update, update, scratch);
        TensorPrimitives.MultiplyAdd(scratch, keep, squaredUpdates, squaredUpdates);

        TensorPrimitives.MultiplyAdd(update, -_learningRate, w, w);
    }

    /// <inheritdoc/>
    public override string ToString() => FormattableString.Invariant($"Adadelta(learningRate={_learningRate}, rho={Rho}, epsilon={Epsilon}, weightDecay={WeightDecay})");
}
