using System.Numerics;

namespace NeuralNets.Optimizers;

/// <summary>Hyperparameter validation with messages that name the hyperparameter and its value.</summary>
internal static class OptimizerChecks
{
    public static T Positive<T>(T value, string name) where T : IFloatingPointIeee754<T>
    {
        if (!T.IsFinite(value) || value <= T.Zero)
            throw new ArgumentOutOfRangeException(name, value, FormattableString.Invariant($"{name} must be positive and finite, but was {value}."));
        return value;
    }

    public static T NonNegative<T>(T value, string name) where T : IFloatingPointIeee754<T>
    {
        if (!T.IsFinite(value) || value < T.Zero)
            throw new ArgumentOutOfRangeException(name, value, FormattableString.Invariant($"{name} must be non-negative and finite, but was {value}."));
        return value;
    }

    /// <summary>For decay rates such as momentum γ or Adam's β: must lie in [0, 1).</summary>
    public static T UnitInterval<T>(T value, string name) where T : IFloatingPointIeee754<T>
    {
        if (!(value >= T.Zero && value < T.One))
            throw new ArgumentOutOfRangeException(name, value, FormattableString.Invariant($"{name} must lie in [0, 1), but was {value}."));
        return value;
    }

    /// <summary>For counts such as L-BFGS's iteration budget: must be at least 1.</summary>
    public static int AtLeastOne(int value, string name)
    {
        if (value < 1)
            throw new ArgumentOutOfRangeException(name, value, FormattableString.Invariant($"{name} must be at least 1, but was {value}."));
        return value;
    }
}
