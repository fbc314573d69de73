namespace NeuralNets.Optimizers;

/// <summary>
/// Where <see cref="Momentum{T}"/> and <see cref="Nesterov{T}"/> apply the learning rate: into the velocity they keep
/// (the lecture's form, and Keras's SGD) or to the step taken from a buffer of gradients (PyTorch's
/// <c>SGD(momentum=…)</c>, with <c>nesterov=True</c> for Nesterov, whose parameters are then PyTorch's θ rather than
/// the lecture's w). The two give the same weights (Nesterov: θ = w − γv) while η stays constant; they part when a
/// schedule changes η.
/// </summary>
public enum MomentumConvention
{
    /// <summary>
    /// v ← γ·v + η·g; w ← w − v. The velocity keeps the rates it was built with: after η changes, the old rates still
    /// act through v for as long as γ lets them. The state buffer is <c>velocity</c>.
    /// </summary>
    Lecture,

    /// <summary>
    /// b ← γ·b + g; w ← w − η·b. The buffer holds gradients only, so every step is taken at the current η, as in
    /// PyTorch with a learning-rate scheduler. The state buffer is <c>momentumBuffer</c> (PyTorch's
    /// <c>momentum_buffer</c>).
    /// </summary>
    PyTorch,
}

/// <summary>The check both momentum optimizers make of their <see cref="MomentumConvention"/> argument.</summary>
internal static class MomentumConventionCheck
{
    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the value when it is not a defined convention.</summary>
    public static void Defined(MomentumConvention convention)
    {
        if (!Enum.IsDefined(convention))
            throw new ArgumentOutOfRangeException(nameof(convention), string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"convention is {(int)convention}, which is not a MomentumConvention (Lecture or PyTorch)."));
    }
}
