using NeuralNets;

namespace Coursework;

public sealed partial class AdamOptimizer
{
    // Your state goes here (one array per parameter, like Parameters[k].Length), e.g.
    // private double[][]? _state;

    /// <summary>
    /// One step of Adam, with m and v starting at 0 and t the step (1, 2, …):
    /// <code>
    /// m ← β1·m + (1 − β1)·g
    /// v ← β2·v + (1 − β2)·g²
    /// m̂ = m / (1 − β1ᵗ)
    /// v̂ = v / (1 − β2ᵗ)
    /// w ← w − η·m̂ / (√v̂ + ε)
    /// </code>
    /// </summary>
    /// <param name="evaluate">Zeroes the gradients, computes them at the parameters' current values (into Parameters[k].GradientSpan) and returns the loss.</param>
    /// <returns>The loss evaluate returned.</returns>
    public double Step(Func<double> evaluate)
    {
        // Parameters[k].ValueSpan is w, Parameters[k].GradientSpan is ∇J(w) once evaluate() has run.
        throw new NotImplementedException("AdamOptimizer.Step is yours to write.");
    }
}
