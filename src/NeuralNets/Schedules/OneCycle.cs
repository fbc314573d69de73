using NeuralNets.Kernels;
using NeuralNets.Optimizers;

namespace NeuralNets.Schedules;

/// <summary>
/// The one-cycle policy (Smith and Topin, 2018) as PyTorch's <c>OneCycleLR</c> computes it with cosine annealing and
/// two phases: the rate rises from η_max/d to η_max over the first part of the run, then falls to η_max/(d·d_final).
/// </summary>
/// <remarks>
/// <code>
/// s = step − 1;  e₁ = p·S − 1 (not rounded to a whole step, as PyTorch);  e₂ = S − 1
/// η(step) = cos(η_max/d, η_max, s/e₁)                         for s ≤ e₁
///         = cos(η_max, η_max/(d·d_final), (s − e₁)/(e₂ − e₁))  after
/// cos(a, b, t) = b + (a − b)/2 · (1 + cos(π·t))
/// </code>
/// with S the total steps, p the warm-up fraction, d and d_final the divisors. PyTorch also cycles the momentum
/// inversely; an optimizer's momentum is not a schedule's to change here, so only the rate follows the cycle.
/// </remarks>
public sealed class OneCycle : IStepSchedule
{
    private readonly double _warmupEnd;

    /// <summary>Creates the schedule.</summary>
    /// <param name="maxRate">η_max, the peak rate; positive and finite.</param>
    /// <param name="totalSteps">S, the steps of the whole run (epochs × batches per epoch), at least 2.</param>
    /// <param name="warmupFraction">p, the share of the steps spent rising, in (0, 1). Default 0.3, PyTorch's <c>pct_start</c>.</param>
    /// <param name="divFactor">d: the rate starts at η_max/d. Default 25.</param>
    /// <param name="finalDivFactor">d_final: the rate ends at η_max/(d·d_final). Default 1e4.</param>
    public OneCycle(double maxRate, int totalSteps, double warmupFraction = 0.3, double divFactor = 25, double finalDivFactor = 1e4)
    {
        MaxRate = OptimizerChecks.Positive(maxRate, nameof(maxRate));
        if (totalSteps < 2) throw new ArgumentOutOfRangeException(nameof(totalSteps), FormattableString.Invariant($"totalSteps must be at least 2, but was {totalSteps}."));
        TotalSteps = totalSteps;
        if (!(warmupFraction > 0 && warmupFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(warmupFraction), FormattableString.Invariant($"warmupFraction must lie in (0, 1), but was {warmupFraction}."));
        _warmupEnd = warmupFraction * totalSteps - 1;
        if (!(_warmupEnd > 0 && _warmupEnd < totalSteps - 1))
            throw new ArgumentOutOfRangeException(nameof(warmupFraction), FormattableString.Invariant(
                $"warmupFraction {warmupFraction} of {totalSteps} steps leaves one phase without steps; plan more steps or another fraction."));
        WarmupFraction = warmupFraction;
        DivFactor = OptimizerChecks.Positive(divFactor, nameof(divFactor));
        FinalDivFactor = OptimizerChecks.Positive(finalDivFactor, nameof(finalDivFactor));
    }

    /// <summary>η_max, the peak rate.</summary>
    public double MaxRate { get; }

    /// <summary>S, the steps of the whole run.</summary>
    public int TotalSteps { get; }

    /// <summary>p, the share of the steps spent rising.</summary>
    public double WarmupFraction { get; }

    /// <summary>d: the rate starts at η_max/d.</summary>
    public double DivFactor { get; }

    /// <summary>d_final: the rate ends at η_max/(d·d_final).</summary>
    public double FinalDivFactor { get; }

    /// <inheritdoc/>
    public double LearningRate(int step)
    {
        if (ScheduleChecks.Step(step) > TotalSteps)
            throw new ArgumentOutOfRangeException(nameof(step), FormattableString.Invariant($"{this} was planned for {TotalSteps} steps, but step {step} was asked for; give totalSteps as epochs × batches per epoch."));
        double initial = MaxRate / DivFactor, final = initial / FinalDivFactor;
        double s = step - 1;
        return s <= _warmupEnd
            ? Anneal(initial, MaxRate, s / _warmupEnd)
            : Anneal(MaxRate, final, (s - _warmupEnd) / (TotalSteps - 1 - _warmupEnd));
    }

    private static double Anneal(double start, double end, double fraction) => end + (start - end) / 2.0 * (CosinePi.Of(fraction) + 1);

    /// <inheritdoc/>
    public override string ToString() =>
        FormattableString.Invariant($"OneCycle(maxRate={MaxRate}, totalSteps={TotalSteps}, warmupFraction={WarmupFraction}, divFactor={DivFactor}, finalDivFactor={FinalDivFactor})");
}
