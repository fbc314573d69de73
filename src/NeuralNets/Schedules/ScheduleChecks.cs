using NeuralNets.Optimizers;

namespace NeuralNets.Schedules;

/// <summary>Argument checks shared by the schedules, with messages that name the value.</summary>
internal static class ScheduleChecks
{
    public static int Epoch(int epoch)
    {
        if (epoch < 1) throw new ArgumentOutOfRangeException(nameof(epoch), FormattableString.Invariant($"epoch is 1-based, but was {epoch}."));
        return epoch;
    }

    public static int Step(int step)
    {
        if (step < 1) throw new ArgumentOutOfRangeException(nameof(step), FormattableString.Invariant($"step is 1-based, but was {step}."));
        return step;
    }

    public static int AtLeastOne(int value, string name) => OptimizerChecks.AtLeastOne(value, name);
}
