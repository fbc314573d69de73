using System.Numerics;

namespace NeuralNets.Layers;

/// <summary>
/// What Dense, Conv2D and ConvTranspose2D share about their optional bias (PyTorch's <c>bias</c>): its setting in a
/// description, its mark in the layer's text, and the spans the kernels take, empty for a layer without one.
/// </summary>
internal static class LayerBias
{
    /// <summary>The description's setting: 0 for a layer without a bias, absent (as in every file written before it existed) for one with.</summary>
    public const string Setting = "bias";

    /// <summary>Writes <see cref="Setting"/> = 0 into <paramref name="settings"/> for a layer without a bias; nothing otherwise.</summary>
    public static void Describe(Dictionary<string, double> settings, bool hasBias)
    {
        if (!hasBias) settings[Setting] = 0;
    }

    /// <summary>What the layer's text adds: <c>", no bias"</c> for a layer without one, nothing otherwise.</summary>
    public static string Text(bool hasBias) => hasBias ? "" : ", no bias";

    /// <summary>The bias's values, or an empty segment without a bias.</summary>
    public static ArraySegment<T> Values<T>(Parameter<T>? bias) where T : unmanaged, IFloatingPointIeee754<T> =>
        bias is null ? ArraySegment<T>.Empty : bias.ValueSegment;

    /// <summary>The bias's gradient, or an empty span without a bias (the kernels then sum none).</summary>
    public static Span<T> Gradient<T>(Parameter<T>? bias) where T : unmanaged, IFloatingPointIeee754<T> =>
        bias is null ? default : bias.GradientSpan;
}
