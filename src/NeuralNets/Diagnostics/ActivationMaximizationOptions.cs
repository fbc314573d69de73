using System.Text;
namespace NeuralNets.Diagnostics;

/// <summary>The settings of <see cref="ActivationMaximization"/>: gradient ascent with jitter and an L2 penalty and bound.</summary>
public sealed record ActivationMaximizationOptions
{
    /// <summary>Gradient-ascent steps.</summary>
    public int Steps { get; init; } = 200;

    /// <summary>η, the step size of <c>x ← x + η·(∇ₓa − 2λx)</c>.</summary>
    public double StepSize { get; init; } = 0.1;

    /// <summary>λ, the weight of the L2 penalty <c>λ‖x‖²</c> subtracted from the objective.</summary>
    public double L2Penalty { get; init; } = 0.01;

    /// <summary>The largest L2 norm of the image: after each step x is scaled back onto this ball if it left it.</summary>
    public double MaxNorm { get; init; } = 10;

    /// <summary>Each step shifts an image input by up to this many pixels in each direction (a random circular shift), so that
    /// the image does not exploit single-pixel patterns; 0 turns it off (and is required for inputs that are not images).</summary>
    public int Jitter { get; init; } = 1;

    /// <summary>Seed of the starting noise and the shifts: the same seed gives the same image.</summary>
    public int Seed { get; init; }

    /// <summary>Standard deviation of the Gaussian noise the ascent starts from.</summary>
    public double InitialNoise { get; init; } = 0.01;

    // Numbers written in the invariant culture (RecordText), not the current one as the generated member list would.
    private bool PrintMembers(StringBuilder builder) => RecordText.PrintMembers(this, builder);
}
