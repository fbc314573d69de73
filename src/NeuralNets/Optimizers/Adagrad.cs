using System.Numerics;
using System.Numerics.Tensors;

namespace NeuralNets.Optimizers;

/// <summary>Adagrad: a per-weight learning rate that shrinks with the sum of all past squared gradients.</summary>
/// <remarks>
/// With g = ∇J(w) (+ λw when weight decay λ is set), G starting at the initial accumulator value, and t the step (1, 2, …):
/// <code>
/// η_t = η / (1 + (t − 1)·lr_decay)
/// G   ← G + g ⊙ g
/// w   ← w − η_t / √(G + ε) ⊙ g          (AdagradEpsilon.InsideRoot, the lecture's form, default)
/// w   ← w − η_t · g / (√G + ε)          (AdagradEpsilon.OutsideRoot, PyTorch's form)
/// </code>
/// With the defaults (lr_decay 0, accumulator 0, ε = 1e-10) and <see cref="AdagradEpsilon.OutsideRoot"/>
/// this is PyTorch's <c>Adagrad</c> exactly.
/// </remarks>
/// <typeparam name="T">The element type.</typeparam>
public sealed class Adagrad<T> : IOptimizer<T>, IRangeUpdate where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Parameter<T>[] _parameters;
    private readonly T[][] _sumOfSquares;
    private readonly T[] _gradient, _denominator;
    private readonly T _epsilon, _weightDecay;
    private T _rate; // this step's decayed learning rate
    private T _learningRate;
    private long _step;

    /// <summary>Creates the rule over <paramref name="parameters"/>.</summary>
    /// <param name="parameters">The parameters to update, e.g. <c>network.Parameters</c>.</param>
    /// <param name="learningRate">η, positive and finite. Default 0.01 (PyTorch's).</param>
    /// <param name="learningRateDecay">lr_decay, non-negative. Default 0.</param>
    /// <param name="weightDecay">λ of the L2 penalty added to the gradient, non-negative. Default 0.</param>
    /// <param name="initialAccumulatorValue">The value G starts at, non-negative. Default 0.</param>
    /// <param name="epsilon">ε, positive. Default 1e-10 (PyTorch's).</param>
    /// <param name="epsilonPlacement">Whether ε goes inside the square root (the lecture) or after it (PyTorch).</param>
    public Adagrad(
        IEnumerable<Parameter<T>> parameters, double learningRate = 1e-2, double learningRateDecay = 0, double weightDecay = 0,
        double initialAccumulatorValue = 0, double epsilon = 1e-10, AdagradEpsilon epsilonPlacement = AdagradEpsilon.InsideRoot)
    {
        _parameters = OptimizerState.Collect(parameters);
        LearningRate = T.CreateChecked(learningRate);
        LearningRateDecay = OptimizerChecks.NonNegative(learningRateDecay, nameof(learningRateDecay));
        WeightDecay = OptimizerChecks.NonNegative(weightDecay, nameof(weightDecay));
        InitialAccumulatorValue = OptimizerChecks.NonNegative(initialAccumulatorValue, nameof(initialAccumulatorValue));
        Epsilon = OptimizerChecks.Positive(epsilon, nameof(epsilon));
        if (!Enum.IsDefined(epsilonPlacement))
            throw new ArgumentOutOfRangeException(nameof(epsilonPlacement), epsilonPlacement, $"epsilonPlacement must be InsideRoot or OutsideRoot, but was {epsilonPlacement}.");
        EpsilonPlacement = epsilonPlacement;
        _epsilon = T.CreateChecked(epsilon);
        _weightDecay = T.CreateChecked(weightDecay);
        _sumOfSquares = OptimizerState.PerParameter(_parameters, T.CreateChecked(initialAccumulatorValue));
        _gradient = OptimizerState.Scratch(_parameters);
        _denominator = OptimizerState.Scratch(_parameters);
    }

    /// <inheritdoc/>
    public IReadOnlyList<Parameter<T>> Parameters => _parameters;

    /// <inheritdoc/>
    public T LearningRate
    {
        get => _learningRate;
        set => _learningRate = OptimizerChecks.Positive(value, nameof(LearningRate));
    }

    /// <summary>lr_decay: the step size at step t is η / (1 + (t − 1)·lr_decay).</summary>
    public double LearningRateDecay { get; }

    /// <summary>λ, the L2 weight decay added to the gradient.</summary>
    public double WeightDecay { get; }

    /// <summary>The value the sum of squared gradients G starts at.</summary>
    public double InitialAccumulatorValue { get; }

    /// <summary>ε, which keeps the denominator away from zero.</summary>
    public double Epsilon { get; }

    /// <summary>Whether ε is added inside or after the square root.</summary>
    public AdagradEpsilon EpsilonPlacement { get; }

    /// <inheritdoc/>
    public T Step(Func<T> evaluate)
    {
        ArgumentNullException.ThrowIfNull(evaluate);
        T loss = evaluate();
        _step++;
        _rate = _learningRate / T.CreateChecked(1 + (_step - 1) * LearningRateDecay);
        for (int i = 0; i < _parameters.Length; i++) RangeUpdate.Run(this, _parameters[i], i);
        return loss;
    }

    void IRangeUpdate.UpdateRange(int index, int start, int length)
    {
        var p = _parameters[index];
        var g = OptimizerState.DecayedGradient(p.ValueArray, p.GradientArray, _weightDecay, _gradient, start, length);
        var sum = _sumOfSquares[index].AsSpan(start, length);
        var denominator = _denominator.AsSpan(start, length);
        var w = p.ValueArray.AsSpan(start, length);
        TensorPrimitives.MultiplyAdd(g, g, sum, sum);
        if (EpsilonPlacement == AdagradEpsilon.InsideRoot)
        {
            TensorPrimitives.Add(sum, _epsilon, denominator);
            TensorPrimitives.Sqrt(denominator, denominator);
        }
        else
        {
            TensorPrimitives.Sqrt(sum, denominator);
            TensorPrimitives.Add(denominator, _epsilon, denominator);
        }
        TensorPrimitives.Divide(g, denominator, denominator);
        TensorPrimitives.MultiplyAdd(denominator, -_rate, w, w);
    }

    /// <inheritdoc/>
    public override string ToString() => FormattableString.Invariant(
        $"Adagrad(learningRate={_learningRate}, learningRateDecay={LearningRateDecay}, weightDecay={WeightDecay}, epsilon={Epsilon}, {EpsilonPlacement})");
}
