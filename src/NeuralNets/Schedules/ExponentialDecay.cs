using NeuralNets.Kernels;
using NeuralNets.Optimizers;

namespace NeuralNets.Schedules;

/// <summary>The rate multiplied by γ every epoch (PyTorch's <c>ExponentialLR</c>).</summary>
/// <remarks>
/// <code>η(epoch) = η₀ · γ^(epoch − 1)</code>
/// </remarks>
public sealed class ExponentialDecay : ILearningRateSchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <param name="initialRate">η₀, positive and finite.</param>
    /// <param name="gamma">γ, the factor per epoch, in (0, 1].</param>
    public ExponentialDecay(double initialRate, double gamma)
    {
        InitialRate = OptimizerChecks.Positive(initialRate, nameof(initialRate));
        if (!(gamma > 0 && gamma <= 1)) throw new ArgumentOutOfRangeException(nameof(gamma), FormattableString.Invariant($"gamma must lie in (0, 1], but was {gamma}."));
        Gamma = gamma;
    }

    /// <summary>η₀, the rate of the first epoch.</summary>
    public double InitialRate { get; }

    /// <summary>γ, the factor per epoch.</summary>
    public double Gamma { get; }

    /// <inheritdoc/>
    /// <remarks>
    /// Never below the smallest positive double, so that a double optimizer accepts it however long the run. In float
    /// the rate becomes 0 below about 1.4e−45; <see cref="LearningRateScheduleExtensions.ApplyTo{T}(ILearningRateSchedule, Optimizers.IOptimizer{T})"/> reports the epoch,
    /// and <see cref="Training.Trainer{T}.Fit"/> does so before the first step.
    /// </remarks>
    public double LearningRate(int epoch) => Math.Max(InitialRate * Power.OfInteger(Gamma, ScheduleChecks.Epoch(epoch) - 1), double.Epsilon);

    /// <inheritdoc/>
    public override string ToString() => FormattableString.Invariant($"ExponentialDecay(initialRate={InitialRate}, gamma={Gamma})");
}
