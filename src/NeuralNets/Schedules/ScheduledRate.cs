using System.Globalization;
using System.Numerics;
using NeuralNets.Optimizers;

namespace NeuralNets.Schedules;

/// <summary>A schedule bound to an optimizer: sets its rate per epoch (or step), and checks a plan up front.</summary>
/// <typeparam name="T">The optimizer's element type.</typeparam>
/// <param name="schedule">The schedule, for messages.</param>
/// <param name="rateAt">The schedule's rate at an epoch or step, 1-based.</param>
/// <param name="unit">"epoch" or "step", for messages.</param>
/// <param name="optimizer">The optimizer whose rate is set.</param>
internal sealed class ScheduledRate<T>(object schedule, Func<int, double> rateAt, string unit, IOptimizer<T> optimizer) : IPlannedSchedule
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Sets the optimizer's rate for <paramref name="index"/> (an epoch or a step, 1-based).</summary>
    public void Apply(int index) => optimizer.LearningRate = RateAt(index);

    /// <inheritdoc/>
    public void CheckUpTo(int count)
    {
        for (int index = 1; index <= count; index++) RateAt(index);
    }

    // The optimizer would only say "LearningRate must be positive": name the schedule, the epoch and the rounding.
    private double RateAt(int index)
    {
        double rate = rateAt(index);
        T converted = T.CreateChecked(rate);
        if (T.IsFinite(converted) && converted > T.Zero) return rate;
        throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
            $"{schedule} gives the learning rate {rate} at {unit} {index}, which is {converted} as {typeof(T).Name}, but an optimizer's rate must be positive and finite. ") +
            $"Plan fewer {unit}s, or give the schedule a larger final rate (a larger gamma or minimum rate).", "schedule");
    }
}
