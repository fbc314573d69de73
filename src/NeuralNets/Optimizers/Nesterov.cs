using System.Numerics;
using NeuralNets.Kernels;

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
/// the look-ahead point, the only point it evaluates. Its state buffer is <c>velocity</c> (v).
/// <para>
/// Relation to PyTorch's <c>SGD(momentum=γ, nesterov=True)</c>, which stores θ and b with b ← γ·b + ∇J(θ),
/// θ ← θ − η·(∇J(θ) + γ·b): its parameters equal the lecture's look-ahead point, θ = w − γ·v, after every step,
/// and b = v/η. This holds exactly while η is constant; a schedule that changes η breaks the equality.
/// <see cref="MomentumConvention.PyTorch"/> takes PyTorch's form itself: the parameters are θ, <c>evaluate</c> is called
/// there (no look-ahead), and the state buffer is <c>momentumBuffer</c> (b).
/// </para>
/// </remarks>
/// <typeparam name="T">The element type.</typeparam>
public sealed class Nesterov<T> : ElementwiseOptimizer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly StateBuffer _velocity;
    private readonly T[][] _saved; // w during the look-ahead; not state: it holds nothing between steps
    private double _momentum, _weightDecay;
    private Phase _phase; // which pass Update is making over the parameters

    private enum Phase { LookAhead, Restore, Update }

    /// <summary>Creates the rule over <paramref name="parameters"/>.</summary>
    /// <param name="parameters">The parameters to update, e.g. <c>network.Parameters</c>; at least one (an empty list throws <see cref="ArgumentException"/>).</param>
    /// <param name="learningRate">η, positive and finite.</param>
    /// <param name="momentum">γ, the fraction of the last update kept, in [0, 1). Default 0.9.</param>
    /// <param name="weightDecay">λ of the L2 penalty added to the gradient, non-negative. Default 0.</param>
    /// <param name="convention">The lecture's look-ahead form (the default) or PyTorch's buffer of gradients at θ.</param>
    public Nesterov(IEnumerable<Parameter<T>> parameters, double learningRate, double momentum = 0.9, double weightDecay = 0,
        MomentumConvention convention = MomentumConvention.Lecture)
        : base(parameters, learningRate)
    {
        MomentumConventionCheck.Defined(convention);
        (Momentum, WeightDecay, Convention) = (momentum, weightDecay, convention);
        DeclareHyperparameter("momentum", () => Momentum, value => Momentum = value);
        DeclareHyperparameter("weightDecay", () => WeightDecay, value => WeightDecay = value);
        // The buffer's name says what it holds, so a state saved in one convention cannot load into the other.
        _velocity = DeclareBuffer(convention == MomentumConvention.Lecture ? "velocity" : "momentumBuffer");
        _saved = convention == MomentumConvention.Lecture ? Parameters.Select(p => new T[p.Length]).ToArray() : [];
    }

    /// <summary>The lecture's look-ahead form or PyTorch's buffer of gradients at θ. Fixed at construction.</summary>
    public MomentumConvention Convention { get; }

    /// <summary>γ, the momentum factor (PyTorch's <c>momentum</c>).</summary>
    public double Momentum { get => _momentum; set => _momentum = OptimizerChecks.UnitInterval(value, "momentum"); }

    /// <summary>λ, the L2 weight decay added to the gradient.</summary>
    public double WeightDecay { get => _weightDecay; set => _weightDecay = OptimizerChecks.NonNegative(value, "weightDecay"); }

    /// <inheritdoc/>
    public override T Step(Func<T> evaluate)
    {
        ArgumentNullException.ThrowIfNull(evaluate);
        if (Convention == MomentumConvention.PyTorch)
        {
            // The gradient at the parameters themselves, then the update.
            T atTheta = evaluate();
            RunPhase(Phase.Update);
            return atTheta;
        }
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

    /// <summary>
    /// The warm-up's rehearsal, on a private twin with this optimizer's settings: <see cref="Update"/> reads the kept
    /// weights by parameter index, and rehearsed on this optimizer it overwrote the first parameter's while the caller's
    /// step was between its look-ahead and its update on another thread. Each phase once.
    /// </summary>
    internal override void RehearseUpdate()
    {
        var twin = new Nesterov<T>([new Parameter<T>("rehearsal", RehearsalLength)], LearningRate, Momentum, WeightDecay, Convention);
        ReadOnlySpan<Phase> phases = Convention == MomentumConvention.Lecture ? [Phase.LookAhead, Phase.Restore, Phase.Update] : [Phase.Update];
        foreach (var phase in phases)
        {
            twin._phase = phase;
            twin.RehearseRule();
        }
    }

    private void RunPhase(Phase phase)
    {
        _phase = phase;
        UpdateParameters(countStep: phase == Phase.Update);
    }

    /// <inheritdoc/>
    protected override void Update(ElementRange<T> range)
    {
        var w = range.Value;
        var v = range.Buffer(_velocity);
        T gamma = T.CreateChecked(Momentum);
        if (Convention == MomentumConvention.PyTorch)
        {
            // b ← γb + (g + λθ); θ ← θ − η·((g + λθ) + γb).
            NesterovBufferStep.Apply(w, range.Gradient, v, T.CreateChecked(WeightDecay), gamma, T.CreateChecked(LearningRate));
            return;
        }
        var saved = _saved[range.State.Index].AsSpan(range.Start, range.Length);
        switch (_phase)
        {
            case Phase.LookAhead:
                // Keep w, then evaluate at w − γv.
                MomentumStep.LookAhead(w, saved, v, -gamma);
                break;
            case Phase.Restore:
                // From the copy: w − γv + γv is not w in floating point.
                saved.CopyTo(w);
                break;
            default:
                // v ← γv + η∇J(w − γv) (the decay term at the look-ahead point too), then w ← w − v from the kept w.
                MomentumStep.Apply(w, saved, range.Gradient, v, T.CreateChecked(WeightDecay), gamma, T.CreateChecked(LearningRate), T.One);
                break;
        }
    }
}
