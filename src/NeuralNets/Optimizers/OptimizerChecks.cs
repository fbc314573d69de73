using System.Globalization;

namespace NeuralNets.Optimizers;

/// <summary>
/// Hyperparameter validation for optimizer authors: each check returns the value when it is valid and otherwise throws an
/// <see cref="ArgumentOutOfRangeException"/> whose parameter name is <c>name</c> and whose message names the value.
/// Built-in optimizers validate every hyperparameter this way, at construction and whenever it is set.
/// </summary>
public static class OptimizerChecks
{
    /// <summary>For rates and ε: finite and greater than zero.</summary>
    /// <param name="value">The value to check.</param>
    /// <param name="name">The hyperparameter's name, as the exception should give it.</param>
    /// <returns><paramref name="value"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The value is zero, negative, infinite or NaN.</exception>
    public static double Positive(double value, string name)
    {
        if (!double.IsFinite(value) || value <= 0) throw Invalid(value, name, "must be positive and finite");
        return value;
    }

    /// <summary>For weight decay and other penalties: finite and at least zero.</summary>
    /// <param name="value">The value to check.</param>
    /// <param name="name">The hyperparameter's name, as the exception should give it.</param>
    /// <returns><paramref name="value"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative, infinite or NaN.</exception>
    public static double NonNegative(double value, string name)
    {
        if (!double.IsFinite(value) || value < 0) throw Invalid(value, name, "must be non-negative and finite");
        return value;
    }

    /// <summary>For decay rates such as momentum or Adam's β: in [0, 1).</summary>
    /// <param name="value">The value to check.</param>
    /// <param name="name">The hyperparameter's name, as the exception should give it.</param>
    /// <returns><paramref name="value"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The value lies outside [0, 1) or is NaN.</exception>
    public static double UnitInterval(double value, string name)
    {
        if (!(value >= 0 && value < 1)) throw Invalid(value, name, "must lie in [0, 1)");
        return value;
    }

    /// <summary>For counts such as L-BFGS's iteration budget: at least 1.</summary>
    /// <param name="value">The value to check.</param>
    /// <param name="name">The hyperparameter's name, as the exception should give it.</param>
    /// <returns><paramref name="value"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The value is below 1.</exception>
    public static int AtLeastOne(int value, string name)
    {
        ArgumentRange.ThrowIfLessThan(value, 1, name);
        return value;
    }

    private static ArgumentOutOfRangeException Invalid(double value, string name, string rule) =>
        new(name, string.Create(CultureInfo.InvariantCulture, $"{name} {rule}, but was {value}."));
}
