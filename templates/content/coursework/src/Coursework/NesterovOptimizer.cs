using NeuralNets;

namespace Coursework;

public sealed partial class NesterovOptimizer
{
    // Your state goes here (one array per parameter, like Parameters[k].Length), e.g.
    // private double[][]? _state;

    /// <summary>
    /// One step of Nesterov, with v starting at 0; the gradient is taken at the look-ahead point w − γ·v
    /// (move the parameters there, call evaluate, move them back):
    /// <code>
    /// v ← γ·v + η·∇J(w − γ·v)
    /// w ← w − v
    /// </code>
    /// </summary>
    /// <param name="evaluate">Zeroes the gradients, computes them at the parameters' current values (into Parameters[k].GradientSpan) and returns the loss.</param>
    /// <returns>The loss evaluate returned.</returns>
    public double Step(Func<double> evaluate)
    {
        // Parameters[k].ValueSpan is w, Parameters[k].GradientSpan is ∇J(w) once evaluate() has run.
        throw new NotImplementedException("NesterovOptimizer.Step is yours to write.");
    }
}
