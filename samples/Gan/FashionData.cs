using NeuralNets.Data;
using NeuralNets.Tensors;

namespace NeuralNets.Samples.Gan;

/// <summary>Fashion-MNIST as <c>[N, 1, 28, 28]</c> in [−1, 1] (a tanh generator's range), optionally the first images only.</summary>
public static class FashionData
{
    /// <summary>Loads the training or the test set, rescaled from [0, 1] to [−1, 1]; <paramref name="subset"/> &gt; 0 keeps the first that many.</summary>
    public static Dataset<float> Load(string directory, bool train, int subset = 0)
    {
        var data = FashionMnist.Load<float>(directory, train);
        if (subset > 0 && subset < data.Count) data = data.Take(subset);
        var pixels = data.Features.Span().ToArray();
        for (int i = 0; i < pixels.Length; i++) pixels[i] = 2 * pixels[i] - 1;
        var labels = new int[data.Count];
        ReadOnlySpan<float> targets = data.Targets.Span();
        for (int i = 0; i < labels.Length; i++) labels[i] = (int)targets[i];
        return Dataset<float>.FromLabels(TensorMemory.Wrap(pixels, [data.Count, 1, FashionMnist.ImageSize, FashionMnist.ImageSize]), labels, FashionMnist.ClassCount);
    }
}
