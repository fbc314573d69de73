using System.Numerics;

namespace NeuralNets.Kernels;

/// <summary>
/// Work done on a product's finished elements by the thread that computed them, while they are in its cache: a dense
/// layer's activation in inference (<see cref="Layers.Activation{T}"/>), or in training the derivative of the activation
/// before a dense layer applied to that layer's input gradient, which then need no pass and no hand-over of their own.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
internal interface IRowsEpilogue<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>
    /// Works on <paramref name="values"/>, a run of C (part of one row, or whole rows) that starts at element
    /// <paramref name="start"/> of C (row-major): replaces each by its result, or reads them to write elsewhere.
    /// </summary>
    void Apply(Span<T> values, int start);
}
