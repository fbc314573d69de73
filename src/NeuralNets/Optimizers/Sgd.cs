using System.Numerics;
using System.Numerics.Tensors;

namespace NeuralNets;

/// <summary>Plain stochastic gradient descent.</summary>
/// <remarks>
/// With g = ∇J(w) at the current w (averaged over the mini-batch by the loss) and η the learning rate:
/// <code>
/// w ← w − η·g
/// </code>
/// </remarks>
/// <typeparam name="T">The element type.</typeparam>
public sealed class Sgd<T> : IOptimizer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private T _learningRate;

    /// <summary>Creates the rule over <paramref name="parameters"/>.</summary>
    /// <param name="parameters">The parameters to update, e.g. <c>network.Parameters</c>.</param>
    /// <param name="learningRate">η, positive and finite.</param>
    public Sgd(IEnumerable<Parameter<T>> parameters, double learningRate)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        Parameters = parameters.ToArray();
        LearningRate = T.CreateChecked(learningRate);
    }

    /// <inheritdoc/>
    public IReadOnlyList<Parameter<T>> Parameters { get; }

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
        T minusRate = -_learningRate;
        foreach (var p in Parameters)
            TensorPrimitives.MultiplyAdd(p.GradientSpan, minusRate, p.ValueSpan, p.ValueSpan);
        return loss;
    }

    /// <inheritdoc/>
    public override string ToString() => $"Sgd(learningRate={_learningRate})";
}
