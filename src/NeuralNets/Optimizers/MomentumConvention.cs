namespace NeuralNets.Optimizers;

/// <summary>
/// Where <see cref="Momentum{T}"/> applies the learning rate: into the velocity it keeps (the lecture's form, and
/// Keras's SGD) or to the step taken from a buffer of gradients (PyTorch's <c>SGD(momentum=…)</c>). The two give the
/// same weights while η stays constant; they part when a schedule changes η.
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
