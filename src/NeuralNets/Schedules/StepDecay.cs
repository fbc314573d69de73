using NeuralNets.Kernels;
using NeuralNets.Optimizers;

namespace NeuralNets.Schedules;

/// <summary>The rate multiplied by γ every <see cref="StepSize"/> epochs (PyTorch's <c>StepLR</c>).</summary>
/// <remarks>
/// <code>η(epoch) = η₀ · γ^⌊(epoch − 1) / stepSize⌋</code>
/// </remarks>
public sealed class StepDecay : ILearningRateSchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <param name="initialRate">η₀, positive and finite.</param>
    /// <param name="stepSize">Epochs between decays, at least 1.</param>
    /// <param name="gamma">γ, the factor applied at each decay, in (0, 1]. Default 0.1.</param>
    public StepDecay(double initialRate, int stepSize, double gamma = 0.1)
    {
        InitialRate = OptimizerChecks.Positive(initialRate, nameof(initialRate));
        StepSize = ScheduleChecks.AtLeastOne(stepSize, nameof(stepSize));
        if (!(gamma > 0 && gamma <= 1)) throw new ArgumentOutOfRangeException(nameof(gamma), FormattableString.Invariant($"gamma must lie in (0, 1], but was {gamma}."));
        Gamma = gamma;
    }

    /// <summary>η₀, the rate of the first epoch.</summary>
    public double InitialRate { get; }

    /// <summary>Epochs between decays.</summary>
    public int StepSize { get; }

    /// <summary>γ, the factor applied at each decay.</summary>
    public double Gamma { get; }

    /// <inheritdoc/>
    public double LearningRate(int epoch) => InitialRate * Power.OfInteger(Gamma, (ScheduleChecks.Epoch(epoch) - 1) / StepSize);

    /// <inheritdoc/>
    public override string ToString() => FormattableString.Invariant($"StepDecay(initialRate={InitialRate}, stepSize={StepSize}, gamma={Gamma})");
}
