using System.Globalization;
using System.Numerics;
using NeuralNets.Data;
using NeuralNets.Layers;

namespace NeuralNets.Training;

/// <summary>Checks, before any pass, that a dataset fits a network: asked of the network through <see cref="ILayer{T}"/>, whatever its type.</summary>
internal static class NetworkChecks
{
    /// <summary>The network's per-sample output shape for <paramref name="data"/>'s samples; throws, naming the set, when they do not fit.</summary>
    public static IReadOnlyList<int> OutputShapeFor<T>(ILayer<T> network, Dataset<T> data, string name) where T : unmanaged, IFloatingPointIeee754<T>
    {
        IReadOnlyList<int> output;
        try
        {
            output = network.OutputShape(data.SampleShape);
        }
        catch (ShapeMismatchException e)
        {
            throw new ShapeMismatchException($"{network.Describe().Kind}: the {name} set's samples, of shape {ShapeMismatchException.Format(data.SampleShape)}, " +
                $"do not fit the network ({e.Message})", e);
        }
        if (data.ClassCount is int classes)
        {
            int outputs = 1;
            for (int i = 0; i < output.Count; i++) outputs *= output[i];
            // One output may be a binary logit; more than one must cover every class.
            if ((outputs > 1 && outputs < classes) || (outputs == 1 && classes > 2))
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                    $"The {name} set has {classes} classes but the network outputs {outputs} values per sample; its last layer needs one output per class."), name);
        }
        return output;
    }
}
