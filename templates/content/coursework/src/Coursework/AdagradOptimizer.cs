using NeuralNets;

namespace Coursework;

public sealed partial class AdagradOptimizer
{
    // Your state goes here (one array per parameter, like Parameters[k].Length), e.g.
    // private double[][]? _state;

    /// <summary>
    /// One step of Adagrad, with G (the sum of squared gradients) starting at 0:
    /// <code>
    /// G ← G + g ⊙ g
    /// w ← w − η / √(G + ε) ⊙ g
    /// </code>
    /// </summary>
    /// <param name="evaluate">Zeroes the gradients, computes them at the parameters' current values (into Parameters[k].GradientSpan) and returns the loss.</param>
    /// <returns>The loss evaluate returned.</returns>
    public double Step(Func<double> evaluate)
    {
        // Parameters[k].ValueSpan is w, Parameters[k].GradientSpan is ∇J(w) once evaluate() has run.
        throw new NotImplementedException("AdagradOptimizer.Step is yours to write.");
    }
}
