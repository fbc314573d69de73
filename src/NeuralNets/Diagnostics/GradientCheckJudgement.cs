namespace NeuralNets.Diagnostics;

/// <summary>
/// How a <see cref="GradientCheck"/> judges derivatives so small that the central difference's own rounding error is
/// comparable with them: the denominator floor of each element's relative error |a − n| / max(|a|, |n|, floor).
/// </summary>
public enum GradientCheckJudgement
{
    /// <summary>
    /// A fixed floor (<see cref="GradientCheckOptions.Floor"/>, 1e-6 by default) and a projection uniform in [−1, 1]: the
    /// check as it has always been. It suits small layers and networks; the rounding of a larger objective outgrows the floor
    /// (over 20 seeds Dense(64, 33) reached 1.5e-5 and Dense(256, 64) 8.4e-6).
    /// </summary>
    FixedFloor,

    /// <summary>
    /// A floor that grows with the objective: an element is right when it is within
    /// <see cref="GradientCheckOptions.Tolerance"/> relatively, or within 16 times the rounding error its central
    /// difference can carry (about ε_mach times the sum of the magnitudes the objective adds up, divided by ε). A layer's
    /// projection is drawn from ±[0.5, 1], so no derivative is small only because its weight in the objective is.
    /// Correct layers pass at any size and seed, while a slip larger than the rounding still fails.
    /// </summary>
    ScaleAware,
}
