using System.Numerics;
using System.Numerics.Tensors;

namespace NeuralNets.Optimizers;

/// <summary>Gradient descent with momentum, in the lecture's form.</summary>
/// <remarks>
/// With g = ∇J(w) (+ λw when weight decay λ is set), learning rate η and momentum factor γ, v starting at 0:
/// <code>
/// v ← γ·v + η·g
/// w ← w − v
/// </code>
/// PyTorch's <c>SGD(momentum=γ)</c> keeps b = v/η instead (b ← γ·b + g; w ← w − η·b). The two give the same
/// weights at every step while η stays constant; when a schedule changes η, the lecture's v carries the old
/// rates into later steps and PyTorch's b does not.
/// </remarks>
/// <typeparam name="T">The element type.</typeparam>
public sealed class Momentum<T> : IOptimizer<T>, IRangeUpdate where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Parameter<T>[] _parameters;
    private readonly T[][] _velocity;
    private readonly T[] _scratch;
    private readonly T _gamma, _weightDecay;
    private T _learningRate;

    /// <summary>Creates the rule over <paramref name="parameters"/>.</summary>
    /// <param name="parameters">The parameters to update, e.g. <c>network.Parameters</c>.</param>
    /// <param name="learningRate">η, positive and finite.</param>
    /// <param name="momentum">γ, the fraction of the last update kept, in [0, 1). Default 0.9.</param>
    /// <param name="weightDecay">λ of the L2 penalty added to the gradient, non-negative. Default 0.</param>
    public Momentum(IEnumerable<Parameter<T>> parameters, double learningRate, double momentum = 0.9, double weightDecay = 0)
    {
        _parameters = OptimizerState.Collect(parameters);
        LearningRate = T.CreateChecked(learningRate);
        Gamma = OptimizerChecks.UnitInterval(momentum, nameof(momentum));
        WeightDecay = OptimizerChecks.NonNegative(weightDecay, nameof(weightDecay));
        _gamma = T.CreateChecked(Gamma);
        _weightDecay = T.CreateChecked(WeightDecay);
        _velocity = OptimizerState.PerParameter(_parameters);
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
        T loss = evaluate();
        for (int i = 0; i < _parameters.Length; i++) RangeUpdate.Run(this, _parameters[i], i);
        return loss;
    }

    void IRangeUpdate.UpdateRange(int index, int start, int length)
    {
        var p = _parameters[index];
        var g = OptimizerState.DecayedGradient(p.ValueArray, p.GradientArray, _weightDecay, _scratch, start, length);
        var v = _velocity[index].AsSpan(start, length);
        var w = p.ValueArray.AsSpan(start, length);
        TensorPrimitives.Multiply(v, _gamma, v);
        TensorPrimitives.MultiplyAdd(g, _learningRate, v, v);
        TensorPrimitives.Subtract(w, v, w);
    }

    /// <inheritdoc/>
    public override string ToString() => FormattableString.Invariant($"Momentum(learningRate={_learningRate}, momentum={Gamma}, weightDecay={WeightDecay})");
}
