using System.Numerics;
using System.Numerics.Tensors;
using NeuralNets.Data;
using NeuralNets.Diagnostics;
using NeuralNets.Layers;
using NeuralNets.Losses;
using NeuralNets.Tensors;

namespace NeuralNets.Training;

/// <summary>
/// What the training loop does to a batch's features before the step: augment (<see cref="TrainingOptions.Augmentation"/>),
/// then attack (<see cref="TrainingOptions.Adversarial"/>). Both are keyed by what a resumed run knows again (the seed,
/// the epoch, each sample's index, the weights), so a checkpointed run trains on the same batches as a straight one.
/// </summary>
/// <remarks>The transformed batch lives in buffers reused from step to step: nothing is allocated once a full batch and the last short one have been seen.</remarks>
internal sealed class BatchTransform<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly ILayer<T> _network;
    private readonly Parameter<T>[] _parameters;
    private readonly ILoss<T> _loss;
    private readonly ImageAugmentation? _augmentation;
    private readonly AdversarialTraining? _adversarial;
    private readonly int _channels, _height, _width;
    private readonly TensorBuffer<T> _augmented = new(), _attacked = new();
    private readonly T _epsilon, _min, _max;

    private BatchTransform(ILayer<T> network, Parameter<T>[] parameters, ILoss<T> loss, ImageAugmentation? augmentation, AdversarialTraining? adversarial, IReadOnlyList<int> sampleShape)
    {
        (_network, _parameters, _loss, _augmentation, _adversarial) = (network, parameters, loss, augmentation, adversarial);
        if (augmentation is not null) (_channels, _height, _width) = (sampleShape[0], sampleShape[1], sampleShape[2]);
        if (adversarial is not null)
            (_epsilon, _min, _max) = (T.CreateChecked(adversarial.Epsilon), T.CreateChecked(adversarial.Min), T.CreateChecked(adversarial.Max));
    }

    /// <summary>The transform the options ask for, or null when they ask for none.</summary>
    /// <exception cref="ArgumentException">Augmentation is asked for, but the samples are not images <c>[C, H, W]</c>.</exception>
    public static BatchTransform<T>? For(TrainingOptions options, ILayer<T> network, Parameter<T>[] parameters, ILoss<T> loss, Dataset<T> train)
    {
        if (options.Augmentation is null && options.Adversarial is null) return null;
        if (options.Augmentation is not null && train.SampleShape.Count != 3)
            throw new ArgumentException(
                $"options.Augmentation augments images [C, H, W], but the training samples have shape {TensorMemory.ShapeText(train.SampleShape)}; " +
                "give the data as images (not flattened) or leave Augmentation null.", "options");
        return new BatchTransform<T>(network, parameters, loss, options.Augmentation, options.Adversarial, train.SampleShape);
    }

    /// <summary>The features to train on for <paramref name="batch"/> in <paramref name="epoch"/>: the batch's own when nothing applies, else a reused buffer.</summary>
    public Tensor<T> Apply(MiniBatch<T> batch, int epoch)
    {
        var features = batch.Features;
        if (_augmentation is not null)
        {
            var augmented = _augmented.GetLike(features);
            _augmentation.ApplyToBatch<T>(features.Span(), augmented.Span(), _channels, _height, _width, epoch, batch.SampleIndices.Span);
            features = augmented;
        }
        if (_adversarial is null) return features;
        int replaced = _adversarial.Replaced(batch.Count);
        if (replaced == 0) return features;
        var attacked = _attacked.GetLike(features);
        Adversarial.FastGradientSignInto(_network, _parameters, _loss, features, batch.Targets, _epsilon, _min, _max, attacked.Span());
        // The samples after the replaced ones stay clean.
        int sampleSize = (int)(features.FlattenedLength / batch.Count);
        features.Span()[(replaced * sampleSize)..].CopyTo(attacked.Span()[(replaced * sampleSize)..]);
        return attacked;
    }
}
