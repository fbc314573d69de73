using System.Numerics;

namespace NeuralNets.Serialization;

/// <summary>Recreates a layer from its <see cref="LayerDescription"/> (weights are filled in afterwards).</summary>
internal static class LayerFactory
{
    public static ILayer<T> Create<T>(LayerDescription description, string path, int index)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int Int(string key) => (int)Setting(key);
        double Setting(string key) => description.Settings.TryGetValue(key, out var value)
            ? value
            : throw new InvalidDataException($"'{path}': layer {index} ({description.Kind}) lacks the setting '{key}'.");

        return description.Kind switch
        {
            "Dense" => new Dense<T>(Int("inputs"), Int("outputs"), new Random(0), WeightInit.Zeros),
            "Sigmoid" => new Sigmoid<T>(),
            "Tanh" => new Tanh<T>(),
            "ReLU" => new ReLU<T>(),
            "LeakyReLU" => new LeakyReLU<T>(Setting("slope")),
            "Softmax" => new Softmax<T>(),
            "Conv2D" => new Conv2D<T>(Int("inChannels"), Int("outChannels"), (Int("kernelH"), Int("kernelW")), new Random(0),
                (Int("strideH"), Int("strideW")), (Int("padH"), Int("padW")), WeightInit.Zeros),
            "MaxPool2D" => new MaxPool2D<T>((Int("kernelH"), Int("kernelW")), (Int("strideH"), Int("strideW")), (Int("padH"), Int("padW"))),
            "AvgPool2D" => new AvgPool2D<T>((Int("kernelH"), Int("kernelW")), (Int("strideH"), Int("strideW")), (Int("padH"), Int("padW"))),
            "Flatten" => new Flatten<T>(),
            // The masks' seed, when the saved layer had one; files written before it was saved get seed 0.
            "Dropout" => new Dropout<T>(Setting("p"), seed: description.Settings.TryGetValue("seed", out double seed) ? (int)seed : 0),
            _ => throw new InvalidDataException($"'{path}': layer {index} has the unknown kind '{description.Kind}'."),
        };
    }
}
