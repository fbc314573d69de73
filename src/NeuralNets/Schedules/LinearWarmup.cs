using NeuralNets.Optimizers;

namespace NeuralNets.Schedules;

/// <summary>
/// The rate rising on a straight line from a fraction of η to η over the first steps, then staying at η
/// (PyTorch's <c>LinearLR</c> with <c>end_factor=1</c>, stepped once per batch).
/// </summary>
/// <remarks>
/// <code>η(step) = η · (f₀ + (1 − f₀) · min(step − 1, W) / W)</code>
/// with f₀ the start factor and W the warm-up steps: step 1 gets f₀·η, step W + 1 and later η.
/// </remarks>
public sealed class LinearWarmup : IStepSchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <param name="targetRate">η, the rate after the warm-up; positive and finite.</param>
    /// <param name="warmupSteps">W, the steps of the rise, at least 1.</param>
    /// <param name="startFactor">f₀, the share of η at step 1, in (0, 1]. Default 1/3, PyTorch's.</param>
    public LinearWarmup(double targetRate, int warmupSteps, double startFactor = 1.0 / 3)
    {
        TargetRate = OptimizerChecks.Positive(targetRate, nameof(targetRate));
        WarmupSteps = ScheduleChecks.AtLeastOne(warmupSteps, nameof(warmupSteps));
        if (!(startFactor > 0 && startFactor <= 1))
            throw new ArgumentOutOfRangeException(nameof(startFactor), FormattableString.Invariant($"startFactor must lie in (0, 1], but was {startFactor}."));
        StartFactor = startFactor;
    }

    /// <summary>η, the rate after the warm-up.</summary>
    public double TargetRate { get; }

    /// <summary>W, the steps of the rise.</summary>
    public int WarmupSteps { get; }

    /// <summary>f₀, the share of η at step 1.</summary>
    public double StartFactor { get; }

    /// <inheritdoc/>
    public double LearningRate(int step)
    {
        int elapsed = Math.Min(ScheduleChecks.Step(step) - 1, WarmupSteps);
        return TargetRate * (StartFactor + (1 - StartFactor) * elapsed / WarmupSteps);
    }

    /// <inheritdoc/>
    public override string ToString() => FormattableString.Invariant($"LinearWarmup(targetRate={TargetRate}, warmupSteps={WarmupSteps}, startFactor={StartFactor})");
}
