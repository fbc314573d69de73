namespace NeuralNets.Kernels;

/// <summary>
/// A yes/no choice inside an optimizer's one-pass kernel (an L2 term, a centered average, a momentum buffer), made by a
/// type argument, <see cref="On"/> or <see cref="Off"/>: each combination is compiled as a loop of its own with the
/// unused operations left out, instead of testing a flag at every element.
/// </summary>
internal interface IStepOption
{
    /// <summary>Whether the option is taken; a constant the compiler folds.</summary>
    static abstract bool IsOn { get; }
}

/// <summary>The option is taken.</summary>
internal readonly struct On : IStepOption
{
    /// <inheritdoc/>
    public static bool IsOn => true;
}

/// <summary>The option is left out.</summary>
internal readonly struct Off : IStepOption
{
    /// <inheritdoc/>
    public static bool IsOn => false;
}
