using System.Numerics;
using System.Numerics.Tensors;

namespace NeuralNets.Optimizers;

/// <summary>RMSprop: the gradient divided by the root of a decaying average of its square; optionally centered and with momentum.</summary>
/// <remarks>
/// With g = ∇J(w) (+ λw when weight decay λ is set), v, ḡ and b starting at 0:
/// <code>
/// v ← α·v + (1 − α)·g²
/// ḡ ← α·ḡ + (1 − α)·g                  (centered only)
/// d = √(v − ḡ²) + ε   if centered,   √v + ε   otherwise
/// b ← μ·b + g / d;  w ← w − η·b       (momentum μ &gt; 0)
/// w ← w − η·g / d                     (μ = 0)
/// </code>
/// This is PyTorch's <c>RMSprop</c>.
/// </remarks>
/// <typeparam name="T">The element type.</typeparam>
public sealed class RmsProp<T> : IOptimizer<T>, IRangeUpdate where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Parameter<T>[] _parameters;
    private readonly T[][] _squareAverage;
    private readonly T[][]? _gradientAverage, _buffer;
    private readonly T[] _gradient, _scratch;
    private readonly T _alpha, _epsilon, _weightDecay, _momentum;
    private T _learningRate;

    /// <summary>Creates the rule over <paramref name="parameters"/>.</summary>
    /// <param name="parameters">The parameters to update, e.g. <c>network.Parameters</c>.</param>
    /// <param name="learningRate">η, positive and finite. Default 0.01 (PyTorch's).</param>
    /// <param name="alpha">α, the decay of the averages, in [0, 1). Default 0.99.</param>
    /// <param name="epsilon">ε, positive. Default 1e-8.</param>
    /// <param name="weightDecay">λ of the L2 penalty added to the gradient, non-negative. Default 0.</param>
    /// <param name="momentum">μ, in [0, 1). Default 0 (no momentum buffer).</param>
    /// <param name="centered">Whether to subtract the squared running mean of the gradient (an estimate of its variance). Default false.</param>
    public RmsProp(
        IEnumerable<Parameter<T>> parameters, double learningRate = 1e-2, double alpha = 0.99, double epsilon = 1e-8,
        double weightDecay = 0, double momentum = 0, bool centered = false)
    {
        _parameters = OptimizerState.Collect(parameters);
        LearningRate = T.CreateChecked(learningRate);
        Alpha = OptimizerChecks.UnitInterval(alpha, nameof(alpha));
        Epsilon = OptimizerChecks.Positive(epsilon, nameof(epsilon));
        WeightDecay = OptimizerChecks.NonNegative(weightDecay, nameof(weightDecay));
        Momentum = OptimizerChecks.UnitInterval(momentum, nameof(momentum));
        Centered = centered;
        (_alpha, _epsilon, _weightDecay, _momentum) = (T.CreateChecked(alpha), T.CreateChecked(epsilon), T.CreateChecked(weightDecay), T.CreateChecked(momentum));
        _squareAverage = OptimizerState.PerParameter(_parameters);
        _gradientAverage = centered ? OptimizerState.PerParameter(_parameters) : null;
        _buffer = momentum > 0 ? OptimizerState.PerParameter(_parameters) : null;
        _gradient = OptimizerState.Scratch(_parameters);
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

    /// <summary>α, the decay of the running averages.</summary>
    public double Alpha { get; }

    /// <summary>ε, added after the square root.</summary>
    public double Epsilon { get; }

    /// <summary>λ, the L2 weight decay added to the gradient.</summary>
    public double WeightDecay { get; }

    /// <summary>μ, the momentum of the scaled step (0: none).</summary>
    public double Momentum { get; }

    /// <summary>Whether the denominator uses the centered second moment v − ḡ².</summary>
    public bool Centered { get; }

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
        T keep = T.One - _alpha;
        var p = _parameters[index];
        var g = OptimizerState.DecayedGradient(p.ValueArray, p.GradientArray, _weightDecay, _gradient, start, length);
        var v = _squareAverage[index].AsSpan(start, length);
        var d = _scratch.AsSpan(start, length);
        var w = p.ValueArray.AsSpan(start, length);
        TensorPrimitives.Multiply(v, _alpha, v);
        TensorPrimitives.Multiply(g, g, d);
        TensorPrimitives.MultiplyAdd(d, keep, v, v);
        if (_gradientAverage is not null)
        {
            var mean = _gradientAverage[index].AsSpan(start, length);
            TensorPrimitives.Multiply(mean, _alpha, mean);
            TensorPrimitives.MultiplyAdd(g, keep, mean, mean);
            TensorPrimitives.Multiply(mean, mean, d);
            TensorPrimitives.Subtract(v, d, d);
            TensorPrimitives.Sqrt(d, d);
        }
        else
        {
            TensorPrimitives.Sqrt(v, d);
        }
        TensorPrimitives.Add(d, _epsilon, d);
        TensorPrimitives.Divide(g, d, d);

        if (_buffer is not null)
        {
            var b = _buffer[index].AsSpan(start, length);
            TensorPrimitives.MultiplyAdd(b, _momentum, d, b);
            TensorPrimitives.MultiplyAdd(b, -_learningRate, w, w);
        }
        else
        {
            TensorPrimitives.MultiplyAdd(d, -_learningRate, w, w);
        }
    }

    /// <inheritdoc/>
    public override string ToString() => FormattableString.Invariant(
        $"RmsProp(learningRate={_learningRate}, alpha={Alpha}, epsilon={Epsilon}, weightDecay={WeightDecay}, momentum={Momentum}, centered={Centered})");
}
