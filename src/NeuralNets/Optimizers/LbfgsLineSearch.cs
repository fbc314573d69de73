namespace NeuralNets.Optimizers;

/// <summary>How <see cref="Lbfgs{T}"/> chooses the step length t along each direction d.</summary>
public enum LbfgsLineSearch
{
    /// <summary>
    /// A strong-Wolfe line search, PyTorch's <c>LBFGS(line_search_fn="strong_wolfe")</c>: the default here, because a
    /// network's loss is rarely quadratic enough for the fixed step to be safe.
    /// </summary>
    StrongWolfe,

    /// <summary>
    /// No line search: t = η (the first iteration min(1, 1/‖g‖₁)·η), one evaluation an iteration, PyTorch's
    /// <c>LBFGS(line_search_fn=None)</c>, which is PyTorch's default. Cheaper; can diverge where η is too large.
    /// </summary>
    FixedStep,
}
