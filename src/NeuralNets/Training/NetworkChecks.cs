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

    /// <summary>
    /// Refuses, before the first step, a batch size that would give some batch normalisation a training batch of one
    /// value per channel (a batch of one sample where the layer sees one position per sample): the layer throws at that
    /// batch, as PyTorch's does, which is the last of the first epoch when the set does not divide evenly, after that
    /// epoch's work.
    /// </summary>
    public static void BatchNormBatches<T>(ILayer<T> network, Dataset<T> train, int batchSize) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int last = train.Count % batchSize;
        if (batchSize > 1 && last != 1) return;
        if (FirstSinglePositionBatchNorm(network, train.SampleShape) is not { } layer) return;
        string batches = batchSize == 1
            ? "batches of 1 sample"
            : string.Create(CultureInfo.InvariantCulture, $"batches of {batchSize} over {train.Count} samples, which leave a last batch of 1");
        throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
            $"{layer} sees one value per channel in each sample, so it cannot train on a batch of one sample (as PyTorch's cannot), and options.BatchSize gives {batches}; choose a batch size that leaves every batch at least 2 samples."),
            "options");
    }

    // The first BatchNorm (nested networks included) whose input has a single position per channel, or null; shapes that
    // do not fit are left to the network's own checks.
    private static ILayer<T>? FirstSinglePositionBatchNorm<T>(ILayer<T> network, IReadOnlyList<int> sampleShape) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (network is BatchNorm<T>) return SinglePosition(sampleShape) ? network : null;
        if (network is not Sequential<T> sequential) return null;
        IReadOnlyList<int> shape = sampleShape;
        foreach (var layer in sequential.Layers)
        {
            if (FirstSinglePositionBatchNorm(layer, shape) is { } found) return found;
            try
            {
                shape = layer.OutputShape(shape);
            }
            catch (ArgumentException)
            {
                return null;
            }
        }
        return null;
    }

    private static bool SinglePosition(IReadOnlyList<int> sampleShape)
    {
        long positions = 1;
        for (int i = 1; i < sampleShape.Count; i++) positions *= sampleShape[i];
        return positions == 1;
    }
}
