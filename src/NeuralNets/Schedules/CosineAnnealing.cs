using NeuralNets.Kernels;
using NeuralNets.Optimizers;

namespace NeuralNets.Schedules;

/// <summary>The rate following half a cosine from η₀ down to η_min over <see cref="Epochs"/> epochs (PyTorch's <c>CosineAnnealingLR</c>, closed form).</summary>
/// <remarks>
/// <code>η(epoch) = η_min + ½·(η₀ − η_min)·(1 + cos(π·(epoch − 1)/T_max))   for epoch − 1 ≤ T_max, and η_min after</code>
/// PyTorch's closed form rises again after T_max; here the rate stays at η_min, which is what a run longer than
/// planned wants.
/// </remarks>
public sealed class CosineAnnealing : ILearningRateSchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <param name="initialRate">η₀, positive and finite.</param>
    /// <param name="epochs">T_max, the epochs over which the rate falls to <paramref name="minimumRate"/>, at least 1.</param>
    /// <param name="minimumRate">η_min, positive and at most η₀. Default 1e-8 (a learning rate must stay positive).</param>
    public CosineAnnealing(double initialRate, int epochs, double minimumRate = 1e-8)
    {
        InitialRate = OptimizerChecks.Positive(initialRate, nameof(initialRate));
        Epochs = ScheduleChecks.AtLeastOne(epochs, nameof(epochs));
        MinimumRate = OptimizerChecks.Positive(minimumRate, nameof(minimumRate));
        if (minimumRate > initialRate)
            throw new ArgumentOutOfRangeException(nameof(minimumRate), FormattableString.Invariant($"minimumRate must be at most initialRate ({initialRate}), but was {minimumRate}."));
    }

    /// <summary>η₀, the rate of the first epoch.</summary>
    public double InitialRate { get; }

    /// <summary>T_max, the epochs of the fall.</summary>
    public int Epochs { get; }

    /// <summary>η_min, the rate at and after epoch T_max + 1.</summary>
    public double MinimumRate { get; }

    /// <inheritdoc/>
    public double LearningRate(int epoch)
    {
        int elapsed = Math.Min(ScheduleChecks.Epoch(epoch) - 1, Epochs);
        return MinimumRate + 0.5 * (InitialRate - MinimumRate) * (1 + CosinePi.Of((double)elapsed / Epochs));
    }

    /// <inheritdoc/>
    public override string ToString() => FormattableString.Invariant($"CosineAnnealing(initialRate={InitialRate}, epochs={Epochs}, minimumRate={MinimumRate})");
}
