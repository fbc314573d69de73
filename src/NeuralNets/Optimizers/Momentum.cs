using System.Numerics;
using NeuralNets.Kernels;

namespace NeuralNets.Optimizers;

/// <summary>Gradient descent with momentum, in the lecture's form.</summary>
/// <remarks>
/// With g = ∇J(w) (+ λw when weight decay λ is set), learning rate η, momentum factor γ and dampening τ, v starting at 0:
/// <code>
/// v ← γ·v + η·g              (the first step, t = 1)
/// v ← γ·v + (1 − τ)·η·g      (later steps)
/// w ← w − v
/// </code>
/// PyTorch's <c>SGD(momentum=γ, dampening=τ)</c> keeps b = v/η instead (b ← γ·b + (1 − τ)·g, b₁ = g; w ← w − η·b), its
/// <c>momentum_buffer</c>. The two give the same weights at every step while η stays constant; when a schedule changes
/// η, the lecture's v (the state buffer <c>velocity</c>) carries the old rates into later steps and PyTorch's b does not.
/// <see cref="MomentumConvention.PyTorch"/> takes PyTorch's form (the state buffer <c>momentumBuffer</c>), for a run that
/// must match PyTorch's SGD with momentum under a learning-rate schedule; Keras's SGD is the lecture's form.
/// </remarks>
/// <typeparam name="T">The element type.</typeparam>
public sealed class Momentum<T> : ElementwiseOptimizer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly StateBuffer _buffer;
    private double _momentum, _dampening, _weightDecay;

    /// <summary>Creates the rule over <paramref name="parameters"/>.</summary>
    /// <param name="parameters">The parameters to update, e.g. <c>network.Parameters</c>; at least one (an empty list throws <see cref="ArgumentException"/>).</param>
    /// <param name="learningRate">η, positive and finite.</param>
    /// <param name="momentum">γ, the fraction of the last update kept, in [0, 1). Default 0.9.</param>
    /// <param name="weightDecay">λ of the L2 penalty added to the gradient, non-negative. Default 0.</param>
    /// <param name="dampening">τ, the fraction of the gradient held back after the first step, in [0, 1). Default 0.</param>
    /// <param name="convention">Where η is applied: into the velocity (the lecture's form, the default) or to the step from PyTorch's buffer of gradients.</param>
    public Momentum(IEnumerable<Parameter<T>> parameters, double learningRate, double momentum = 0.9, double weightDecay = 0, double dampening = 0,
        MomentumConvention convention = MomentumConvention.Lecture)
        : base(parameters, learningRate)
    {
        MomentumConventionCheck.Defined(convention);
        (MomentumFactor, WeightDecay, Dampening, Convention) = (momentum, weightDecay, dampening, convention);
        DeclareHyperparameter("momentum", () => MomentumFactor, value => MomentumFactor = value);
        DeclareHyperparameter("weightDecay", () => WeightDecay, value => WeightDecay = value);
        DeclareHyperparameter("dampening", () => Dampening, value => Dampening = value);
        // The buffer's name says what it holds, so a state saved in one convention cannot load into the other.
        _buffer = DeclareBuffer(convention == MomentumConvention.Lecture ? "velocity" : "momentumBuffer");
    }

    /// <summary>Where η is applied: into the velocity (the lecture's form) or to the step from PyTorch's buffer of gradients. Fixed at construction.</summary>
    public MomentumConvention Convention { get; }

    /// <summary>γ, the momentum factor (PyTorch's <c>momentum</c>; C# forbids naming it <c>Momentum</c> in this class).</summary>
    public double MomentumFactor { get => _momentum; set => _momentum = OptimizerChecks.UnitInterval(value, "momentum"); }

    /// <summary>λ, the L2 weight decay added to the gradient.</summary>
    public double WeightDecay { get => _weightDecay; set => _weightDecay = OptimizerChecks.NonNegative(value, "weightDecay"); }

    /// <summary>τ, the dampening of the gradient after the first step.</summary>
    public double Dampening { get => _dampening; set => _dampening = OptimizerChecks.UnitInterval(value, "dampening"); }

    /// <inheritdoc/>
    protected override void Update(ElementRange<T> range)
    {
        T eta = T.CreateChecked(LearningRate);
        var w = range.Value;
        if (Convention == MomentumConvention.Lecture)
        {
            // v ← γ·v + (1 − τ)·η·(g + λw); w ← w − v, in one pass.
            T gradientScale = range.Step == 1 ? eta : (T.One - T.CreateChecked(Dampening)) * eta;
            MomentumStep.Apply(w, w, range.Gradient, range.Buffer(_buffer), T.CreateChecked(WeightDecay), T.CreateChecked(MomentumFactor), gradientScale, T.One);
        }
        else
        {
            // b ← γ·b + (1 − τ)·(g + λw); w ← w − η·b, in one pass.
            T gradientScale = range.Step == 1 ? T.One : T.One - T.CreateChecked(Dampening);
            MomentumStep.Apply(w, w, range.Gradient, range.Buffer(_buffer), T.CreateChecked(WeightDecay), T.CreateChecked(MomentumFactor), gradientScale, eta);
        }
    }
}
