using System.Numerics;

namespace NeuralNets.Kernels;

/// <summary>
/// Work done in place on a product's finished elements by the thread that computed them, while they are in its cache: a
/// dense layer's activation in inference (<see cref="Layers.Activation{T}"/>), which then needs no pass and no hand-over
/// of its own.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
internal interface IRowsEpilogue<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Replaces each of <paramref name="values"/> (a run of C: part of one row, or whole rows) by its result.</summary>
    void Apply(Span<T> values);
}
