using System.Numerics;
using NeuralNets.Initialization;
using NeuralNets.Layers;

namespace NeuralNets.Serialization;

/// <summary>
/// Recreates a layer from its <see cref="LayerDescription"/> (weights are filled in afterwards), and
/// says beforehand whether it can: <see cref="Check"/> is the one place that knows which kinds and
/// settings a model file may hold, used by both <see cref="ModelFile.Load{T}"/> and <see cref="ModelFile.Save{T}"/>.
/// </summary>
internal static class LayerFactory
{
    /// <summary>Checks that <see cref="Create{T}"/> can rebuild <paramref name="description"/> and returns the parameters the layer will hold.</summary>
    /// <remarks>Allocates nothing in proportion to the layer's size, so a file can be checked against its own bytes before any weights exist.</remarks>
    /// <param name="description">The layer's kind and settings.</param>
    /// <param name="file">Names the file in messages, e.g. <c>'model.json'</c>.</param>
    /// <param name="index">The layer's position in the network.</param>
    /// <returns>Each parameter's name within the layer (e.g. <c>weight</c>) and shape, in the layer's order.</returns>
    /// <exception cref="InvalidDataException">The kind is unknown or a setting is missing or out of range; the message names the layer and the setting.</exception>
    public static ParameterSpec[] Check(LayerDescription description, string file, int index)
    {
        var settings = Settings(description, file, index);
        switch (description.Kind)
        {
            case "Dense":
                int outputs = settings.Positive("outputs");
                return [new("weight", [outputs, settings.Positive("inputs")]), new("bias", [outputs])];
            case "Conv2D":
                int filters = settings.Positive("outChannels");
                var (kernel, _, _) = Window(settings, pooling: false);
                return [new("weight", [filters, settings.Positive("inChannels"), kernel.Height, kernel.Width]), new("bias", [filters])];
            case "MaxPool2D" or "AvgPool2D":
                Window(settings, pooling: true);
                return [];
            case "LeakyReLU":
                settings.NonNegative("slope");
                return [];
            case "Dropout":
                settings.Probability("p");
                settings.OptionalInt32("seed", absent: 0);
                return [];
            case "Sigmoid" or "Tanh" or "ReLU" or "Softmax" or "Flatten":
                return [];
            default:
                throw new InvalidDataException($"{file}: layer {index} has the unknown kind '{description.Kind}'.");
        }
    }

    /// <summary>Builds the layer <paramref name="description"/> describes, with zero weights.</summary>
    /// <exception cref="InvalidDataException">As for <see cref="Check"/>.</exception>
    public static ILayer<T> Create<T>(LayerDescription description, string file, int index)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Check(description, file, index);
        var settings = Settings(description, file, index);
        return description.Kind switch
        {
            "Dense" => new Dense<T>(settings.Positive("inputs"), settings.Positive("outputs"), new Random(0), WeightInit.Zeros),
            "Sigmoid" => new Sigmoid<T>(),
            "Tanh" => new Tanh<T>(),
            "ReLU" => new ReLU<T>(),
            "LeakyReLU" => new LeakyReLU<T>(settings.NonNegative("slope")),
            "Softmax" => new Softmax<T>(),
            "Conv2D" => CreateConv2D<T>(settings),
            "MaxPool2D" => CreatePool(settings, (k, s, p) => new MaxPool2D<T>(k, s, p)),
            "AvgPool2D" => CreatePool(settings, (k, s, p) => new AvgPool2D<T>(k, s, p)),
            "Flatten" => new Flatten<T>(),
            // The masks' seed, when the saved layer had one; files written before it was saved get seed 0.
            "Dropout" => new Dropout<T>(settings.Probability("p"), seed: settings.OptionalInt32("seed", absent: 0)),
            _ => throw new InvalidOperationException("Check has accepted a kind that Create cannot build."),
        };
    }

    private static LayerSettings Settings(LayerDescription description, string file, int index) =>
        new(description, $"{file}: layer {index} ({description.Kind})");

    private static Conv2D<T> CreateConv2D<T>(LayerSettings settings) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (kernel, stride, padding) = Window(settings, pooling: false);
        return new Conv2D<T>(settings.Positive("inChannels"), settings.Positive("outChannels"), kernel, new Random(0), stride, padding, WeightInit.Zeros);
    }

    private static ILayer<T> CreatePool<T>(LayerSettings settings, Func<(int, int), (int, int), (int, int), ILayer<T>> create)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (kernel, stride, padding) = Window(settings, pooling: true);
        return create(kernel, stride, padding);
    }

    /// <summary>Kernel, stride and padding; pooling windows, like PyTorch's, pad by at most half the kernel.</summary>
    private static ((int Height, int Width) Kernel, (int Height, int Width) Stride, (int Height, int Width) Padding) Window(LayerSettings settings, bool pooling)
    {
        (int Height, int Width) kernel = (settings.WindowLength("kernelH"), settings.WindowLength("kernelW"));
        (int, int) stride = (settings.WindowLength("strideH"), settings.WindowLength("strideW"));
        int maxPadH = pooling ? kernel.Height / 2 : LayerSettings.MaxWindowLength;
        int maxPadW = pooling ? kernel.Width / 2 : LayerSettings.MaxWindowLength;
        return (kernel, stride, (settings.Padding("padH", maxPadH), settings.Padding("padW", maxPadW)));
    }
}
