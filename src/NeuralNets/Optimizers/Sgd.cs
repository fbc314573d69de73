using System.Numerics;
using System.Numerics.Tensors;

namespace NeuralNets.Optimizers;

/// <summary>Plain stochastic gradient descent.</summary>
/// <remarks>
/// With g = ∇J(w) at the current w (averaged over the mini-batch by the loss) and η the learning rate:
/// <code>
/// w ← w − η·g
/// </code>
/// With the L2 weight decay λ set, g is ∇J(w) + λ·w (PyTorch's <c>SGD(weight_decay=λ)</c>).
/// </remarks>
/// <typeparam name="T">The element type.</typeparam>
public sealed class Sgd<T> : IOptimizer<T>, IRangeUpdate where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Parameter<T>[] _parameters;
    private readonly T[] _scratch;
    private readonly T _weightDecay;
    private T _learningRate;

    /// <summary>Creates the rule over <paramref name="parameters"/>.</summary>
    /// <param name="parameters">The parameters to update, e.g. <c>network.Parameters</c>.</param>
    /// <param name="learningRate">η, positive and finite.</param>
    /// <param name="weightDecay">λ of the L2 penalty added to the gradient, non-negative. Default 0.</param>
    public Sgd(IEnumerable<Parameter<T>> parameters, double learningRate, double weightDecay = 0)
    {
        _parameters = OptimizerState.Collect(parameters);
        LearningRate = T.CreateChecked(learningRate);
        WeightDecay = OptimizerChecks.NonNegative(weightDecay, nameof(weightDecay));
        _weightDecay = T.CreateChecked(weightDecay);
        _scratch = weightDecay > 0 ? OptimizerState.Scratch(_parameters) : [];
    }

    /// <summary>λ, the L2 weight decay added to the gradient.</summary>
    public double WeightDecay { get; }

    /// <inheritdoc/>
    public IReadOnlyList<Parameter<T>> Parameters => _parameters;

    /// <inheritdoc/>
    public T LearningRate
    {
        get => _learningRate;
        set => _learningRate = OptimizerChecks.Positive(value, nameof(LearningRate));
    }

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
        var w = p.ValueArray.AsSpan(start, length);
        TensorPrimitives.MultiplyAdd(g, -_learningRate, w, w);
    }

    /// <inheritdoc/>
    public override string ToString() => FormattableString.Invariant($"Sgd(learningRate={_learningRate})");
}
