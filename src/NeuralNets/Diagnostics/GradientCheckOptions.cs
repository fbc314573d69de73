using System.Globalization;
using System.Numerics.Tensors;
using System.Text;

namespace NeuralNets.Diagnostics;

/// <summary>
/// How <see cref="GradientCheck.Layer(Layers.ILayer{double}, Tensor{double}, GradientCheckOptions)"/> and its siblings
/// check: the judgement, the step, the tolerance the result will be judged at, and the pass to check.
/// </summary>
/// <example>
/// A layer too large for the fixed floor:
/// <code>
/// var options = new GradientCheckOptions { Judgement = GradientCheckJudgement.ScaleAware, Tolerance = 1e-6 };
/// bool right = GradientCheck.Layer(new Dense&lt;double&gt;(256, 64, seed: 1), input, options).Passed(options.Tolerance);
/// </code>
/// </example>
public sealed record GradientCheckOptions
{
    private readonly double _epsilon = 1e-5;
    private readonly double _floor = 1e-6;
    private readonly double _tolerance = 1e-6;

    /// <summary>How derivatives near rounding are judged. Default <see cref="GradientCheckJudgement.FixedFloor"/>, the check's behaviour before the option existed.</summary>
    public GradientCheckJudgement Judgement { get; init; }

    /// <summary>The step ε of the central differences, positive. Default 1e-5 (near ∛ε_mach, see <see cref="GradientCheck"/>).</summary>
    public double Epsilon
    {
        get => _epsilon;
        init
        {
            ArgumentRange.ThrowIfNegativeOrZero(value, nameof(Epsilon));
            _epsilon = value;
        }
    }

    /// <summary>The relative error's denominator floor, positive. Default 1e-6. <see cref="GradientCheckJudgement.ScaleAware"/> raises it where rounding needs more, never lowers it.</summary>
    public double Floor
    {
        get => _floor;
        init
        {
            ArgumentRange.ThrowIfNegativeOrZero(value, nameof(Floor));
            _floor = value;
        }
    }

    /// <summary>
    /// The relative error the result will be judged at (<see cref="GradientCheckResult.Passed"/>), positive. Default 1e-6.
    /// Only <see cref="GradientCheckJudgement.ScaleAware"/> reads it: it sets the floor so that an element within the
    /// rounding allowance shows a relative error of at most this, so judge the result at this tolerance or a looser one.
    /// </summary>
    public double Tolerance
    {
        get => _tolerance;
        init
        {
            ArgumentRange.ThrowIfNegativeOrZero(value, nameof(Tolerance));
            _tolerance = value;
        }
    }

    /// <summary>Seed of a layer check's projection r (the objective is Σ r ⊙ layer(x)). Default 0.</summary>
    public int Seed { get; init; }

    /// <summary>
    /// Passed to every Forward. Default false. Layers that draw from seeded streams (<see cref="Layers.IRandomStreamLayer"/>,
    /// such as Dropout, inside a <see cref="Layers.Sequential{T}"/> too) are rewound before each checked pass, so every pass
    /// draws the same masks and the training pass is a fixed function to differentiate.
    /// </summary>
    public bool Training { get; init; }

    /// <summary>
    /// An input of the same shape passed through Forward just before the pass whose Backward is checked, or null for none.
    /// A Backward that reads state an older pass left (an input cached once, a mask from the previous call) then fails the
    /// check. The prior pass draws on from where random streams stand, so its masks differ from the checked pass's.
    /// </summary>
    public Tensor<double>? PriorInput { get; init; }

    // The generated member list, with numbers in the invariant culture and the prior input by its shape, not its values.
    private bool PrintMembers(StringBuilder builder)
    {
        string prior = PriorInput is null ? "null" : Tensors.TensorMemory.ShapeText(PriorInput.Lengths);
        builder.Append(CultureInfo.InvariantCulture,
            $"Judgement = {Judgement}, Epsilon = {Epsilon}, Floor = {Floor}, Tolerance = {Tolerance}, Seed = {Seed}, Training = {Training}, PriorInput = {prior}");
        return true;
    }
}
