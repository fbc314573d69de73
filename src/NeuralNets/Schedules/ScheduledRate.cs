using System.Globalization;
using System.Numerics;
using NeuralNets.Optimizers;

namespace NeuralNets.Schedules;

/// <summary>A schedule bound to an optimizer: sets its rate per epoch, and checks a plan of epochs up front.</summary>
/// <typeparam name="T">The optimizer's element type.</typeparam>
internal sealed class ScheduledRate<T>(ILearningRateSchedule schedule, IOptimizer<T> optimizer) : IPlannedSchedule
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Sets the optimizer's rate for <paramref name="epoch"/>.</summary>
    public void Apply(int epoch) => optimizer.LearningRate = RateAt(epoch);

    /// <inheritdoc/>
    public void CheckEpochs(int epochs)
    {
        for (int epoch = 1; epoch <= epochs; epoch++) RateAt(epoch);
    }

    // The optimizer would only say "LearningRate must be positive": name the schedule, the epoch and the rounding.
    private double RateAt(int epoch)
    {
        double rate = schedule.LearningRate(epoch);
        T converted = T.CreateChecked(rate);
        if (T.IsFinite(converted) && converted > T.Zero) return rate;
        throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
            $"{schedule} gives the learning rate {rate} at epoch {epoch}, which is {converted} as {typeof(T).Name}, but an optimizer's rate must be positive and finite. ") +
            "Plan fewer epochs, or give the schedule a larger final rate (a larger gamma or minimum rate).", "schedule");
    }
}
