using System.Globalization;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using NeuralNets.Tensors;

namespace NeuralNets.Layers;

/// <summary>
/// The errors of a pass given a tensor of the wrong shape, built in methods of their own: the layers' passes are compiled
/// fully optimised at their first call (<see cref="Kernels.HotPath"/>), and formatting the expected shape inline in each
/// of them compiled code that only a caller's mistake runs (as <see cref="PassOrder"/> does for a backward pass called
/// before any forward pass). The messages are the ones the passes built before.
/// </summary>
internal static class PassShapes
{
    /// <summary>A forward pass that takes rows of <paramref name="features"/> values (<c>[N, features]</c>) was given <paramref name="input"/>.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static ShapeMismatchException NotRows<T>(object layer, int features, Tensor<T> input) =>
        new(layer.ToString() ?? "", "[N, " + Text(features) + "]", input.Shape());

    /// <summary>A forward pass that takes images of <paramref name="channels"/> channels (<c>[N, channels, H, W]</c>) was given <paramref name="input"/>.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static ShapeMismatchException NotImages<T>(object layer, int channels, Tensor<T> input) =>
        new(layer.ToString() ?? "", "[N, " + Text(channels) + ", H, W]", input.Shape());

    /// <summary>A backward pass whose gradient must have its input's shape was given <paramref name="gradient"/>.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static ShapeMismatchException GradientNotLikeInput<T>(object layer, Tensor<T> input, Tensor<T> gradient) =>
        new(layer + " (backward)", TensorMemory.ShapeText(input.Lengths), gradient.Shape());

    /// <summary>A backward pass whose gradient must be <c>[rows, columns]</c> was given <paramref name="gradient"/>.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static ShapeMismatchException GradientNot<T>(object layer, Tensor<T> gradient, int rows, int columns) =>
        new(layer + " (backward)", TensorMemory.ShapeText([rows, columns]), gradient.Shape());

    /// <summary>A backward pass whose gradient must be <c>[batch, channels, height, width]</c> was given <paramref name="gradient"/>.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static ShapeMismatchException GradientNot<T>(object layer, Tensor<T> gradient, int batch, int channels, int height, int width) =>
        new(layer + " (backward)", TensorMemory.ShapeText([batch, channels, height, width]), gradient.Shape());

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
