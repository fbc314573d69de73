using System.Globalization;
using System.Numerics;
using System.Numerics.Tensors;
using NeuralNets.Layers;

namespace NeuralNets.Diagnostics;

/// <summary>Runs a network's first layers forward in inference mode and back again, for diagnostics that look inside a network.</summary>
internal static class PartialPass
{
    /// <summary>The output of layers 0..<paramref name="last"/> for <paramref name="input"/> (a layer's buffer: copy it to keep it).</summary>
    public static Tensor<T> Forward<T>(Sequential<T> network, int last, Tensor<T> input) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var x = input;
        for (int i = 0; i <= last; i++) x = network.Layers[i].Forward(x, training: false);
        return x;
    }

    /// <summary>∂(⟨g, output of layer <paramref name="last"/>⟩)/∂input after <see cref="Forward"/>; leaves every parameter gradient at zero.</summary>
    public static Tensor<T> Backward<T>(Sequential<T> network, int last, Tensor<T> outputGradient) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var g = outputGradient;
        for (int i = last; i >= 0; i--) g = network.Layers[i].Backward(g);
        network.ZeroGradients();
        return g;
    }

    /// <summary>Checks that <paramref name="layer"/> indexes one of the network's layers.</summary>
    public static void CheckLayer<T>(Sequential<T> network, int layer, string parameterName) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if ((uint)layer >= (uint)network.Layers.Count)
            throw new ArgumentOutOfRangeException(parameterName, string.Create(CultureInfo.InvariantCulture, $"The network has layers 0 to {network.Layers.Count - 1}, so there is no layer {layer}."));
    }
}
