using System.Globalization;
using System.Numerics;
using System.Numerics.Tensors;
using NeuralNets.Layers;

namespace NeuralNets.Tests.Integration;

/// <summary>
/// Networks drawn from a seed, each build of a seed the same layers with the same weights: dense stacks (with BatchNorm1D,
/// LayerNorm, Dropout, every elementwise activation, PReLU, Softmax or LogSoftmax) and image stacks (Conv2D with strides and padding, ConvTranspose2D,
/// BatchNorm2D, LayerNorm over [C, H, W], every elementwise activation, PReLU, MaxPool2D and AvgPool2D of any window, residual blocks with either shortcut,
/// GlobalAvgPool2D or Flatten before a Dense). Large ones have layers and batches long enough for their passes to split across the team.
/// </summary>
internal sealed class RandomNetwork<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly int _seed;
    private readonly bool _large;

    public RandomNetwork(int seed, bool large)
    {
        (_seed, _large) = (seed, large);
        var (layers, shape, description) = Draw();
        (SampleShape, Description, HasDropout) = (shape, description, layers.Any(layer => layer is Dropout<T>));
        Batch = new Random(seed * 7 + 1).Next(2, large ? 70 : 9);
    }

    /// <summary>Whether the network has a Dropout, which draws its masks afresh each pass: its passes equal only a fresh build's.</summary>
    public bool HasDropout { get; }

    public int[] SampleShape { get; }

    public int Batch { get; }

    public string Description { get; }

    /// <summary>A new network of this seed: the same layers, weights and fusions every call.</summary>
    public Sequential<T> Build() => new(SampleShape, Draw().Layers.ToArray());

    /// <summary>A batch for it, with zeros of both signs, ones and repeated values among the random ones (ties for the pools).</summary>
    public Tensor<T> Input(int seed) => Values(new Random(seed), [Batch, .. SampleShape]);

    /// <summary>An output gradient for it.</summary>
    public Tensor<T> OutputGradient(int seed) => Values(new Random(seed), Batch, Outputs);

    public const int Outputs = 3;

    /// <summary>
    /// One training pass of <paramref name="network"/> from zeroed gradients, through the network (its fusions) or its layers
    /// one by one: the output, the input gradient, then each parameter's gradient.
    /// </summary>
    public static List<T[]> TrainingPass(Sequential<T> network, Tensor<T> x, Tensor<T> dy, bool inTurn)
    {
        network.ZeroGradients();
        Tensor<T> output = x, inputGradient = dy;
        if (inTurn)
        {
            foreach (var layer in network.Layers) output = layer.Forward(output, training: true);
            for (int i = network.Layers.Count - 1; i >= 0; i--) inputGradient = network.Layers[i].Backward(inputGradient);
        }
        else
        {
            output = network.Forward(x, training: true);
            inputGradient = network.Backward(dy);
        }
        return [output.ToArray(), inputGradient.ToArray(), .. network.Parameters.Select(p => p.GradientSpan.ToArray())];
    }

    /// <summary>What part <paramref name="index"/> of a <see cref="TrainingPass"/> is, for messages.</summary>
    public static string PartName(int index) => index switch { 0 => "the output", 1 => "the input gradient", _ => $"parameter {index - 2}'s gradient" };

    private (List<ILayer<T>> Layers, int[] Shape, string Description) Draw()
    {
        var random = new Random(_seed);
        return random.Next(2) == 0 ? DenseStack(random) : ImageStack(random);
    }

    private (List<ILayer<T>>, int[], string) DenseStack(Random random)
    {
        var layers = new List<ILayer<T>>();
        int features = random.Next(1, _large ? 1200 : 300);
        var shape = new[] { features };
        var text = $"dense stack from {features}:";
        var norms = new Random(_seed * 17 + 5);  // a stream of its own, so that the other layers' draws stay as they were
        for (int depth = random.Next(1, 4), i = 0; i < depth; i++)
        {
            int outputs = random.Next(1, _large ? 600 : 200);
            layers.Add(new Dense<T>(features, outputs, _seed + i));
            features = outputs;
            text += $" Dense({outputs})";
            if (random.Next(4) == 0) Add(layers, new BatchNorm1D<T>(features), ref text);
            if (norms.Next(4) == 0) Add(layers, new LayerNorm<T>(features, elementwiseAffine: norms.Next(3) > 0), ref text);
            if (random.Next(5) > 0) Add(layers, Activation(random, features), ref text);
            if (random.Next(5) == 0) Add(layers, new Dropout<T>(0.3, _seed), ref text);
        }
        layers.Add(new Dense<T>(features, Outputs, _seed + 99));
        text += $" Dense({Outputs})";
        switch (random.Next(6))
        {
            case 0 or 1: Add(layers, new Softmax<T>(), ref text); break;
            case 2: Add(layers, new LogSoftmax<T>(), ref text); break;
        }
        return (layers, shape, text);
    }

    private (List<ILayer<T>>, int[], string) ImageStack(Random random)
    {
        var layers = new List<ILayer<T>>();
        int channels = random.Next(1, 6), height = random.Next(3, _large ? 34 : 14), width = random.Next(3, _large ? 34 : 14);
        var shape = new[] { channels, height, width };
        var text = string.Create(CultureInfo.InvariantCulture, $"image stack from [{channels}, {height}, {width}]:");
        var residuals = new Random(_seed * 13 + 3);  // a stream of its own, so that the other layers' draws stay as they were
        var norms = new Random(_seed * 17 + 5);      // the same
        for (int blocks = random.Next(1, 3), b = 0; b < blocks; b++)
        {
            if (random.Next(3) < 2 || height < 2 || width < 2)
            {
                int outputs = random.Next(1, 9), kernel = random.Next(1, Math.Min(4, Math.Min(height, width) + 1));
                int padding = random.Next(0, kernel), stride = random.Next(1, 3);
                layers.Add(new Conv2D<T>(channels, outputs, kernel, _seed + b, stride, padding));
                (channels, height, width) = (outputs, (height + 2 * padding - kernel) / stride + 1, (width + 2 * padding - kernel) / stride + 1);
                text += $" Conv2D({outputs}, {kernel}, stride {stride}, padding {padding})";
            }
            else
            {
                int outputs = random.Next(1, 6), kernel = random.Next(1, 4), stride = random.Next(1, 3), padding = random.Next(0, kernel);
                int outputPadding = random.Next(0, stride);
                int nextHeight = (height - 1) * stride - 2 * padding + kernel + outputPadding, nextWidth = (width - 1) * stride - 2 * padding + kernel + outputPadding;
                if (nextHeight < 1 || nextWidth < 1) (padding, outputPadding, nextHeight, nextWidth) = (0, 0, (height - 1) * stride + kernel, (width - 1) * stride + kernel);
                layers.Add(new ConvTranspose2D<T>(channels, outputs, kernel, _seed + b, stride, padding, outputPadding));
                (channels, height, width) = (outputs, nextHeight, nextWidth);
                text += $" ConvTranspose2D({outputs}, {kernel}, stride {stride}, padding {padding}, output padding {outputPadding})";
            }
            if (random.Next(3) == 0) Add(layers, new BatchNorm2D<T>(channels), ref text);
            if (norms.Next(4) == 0) Add(layers, new LayerNorm<T>([channels, height, width], elementwiseAffine: norms.Next(3) > 0), ref text);
            Add(layers, Activation(random, channels), ref text);
            if (random.Next(2) == 0 && height >= 2 && width >= 2)
            {
                int kernel = random.Next(1, Math.Min(4, Math.Min(height, width) + 1)), stride = random.Next(1, 3);
                Add(layers, random.Next(2) == 0 ? new MaxPool2D<T>(kernel, stride) : new AvgPool2D<T>(kernel, stride), ref text);
                (height, width) = ((height - kernel) / stride + 1, (width - kernel) / stride + 1);
            }
            // A residual block that keeps the shape: a 3×3 convolution, a BatchNorm2D and an activation in the body; the identity
            // or a 1×1 convolution as the shortcut.
            if (residuals.Next(3) == 0)
            {
                var body = new Sequential<T>(new Conv2D<T>(channels, channels, 3, _seed + 40 + b, padding: 1), new BatchNorm2D<T>(channels), Activation(residuals, channels));
                var shortcut = residuals.Next(2) == 0 ? null : new Sequential<T>(new Conv2D<T>(channels, channels, 1, _seed + 60 + b, bias: false));
                Add(layers, new Residual<T>(body, shortcut), ref text);
            }
        }
        if (random.Next(3) == 0)
        {
            Add(layers, new GlobalAvgPool2D<T>(), ref text);
            layers.Add(new Dense<T>(channels, Outputs, _seed + 77));
        }
        else
        {
            Add(layers, new Flatten<T>(), ref text);
            layers.Add(new Dense<T>(channels * height * width, Outputs, _seed + 77));
        }
        text += $" Dense({Outputs})";
        return (layers, shape, text);
    }

    private static void Add(List<ILayer<T>> layers, ILayer<T> layer, ref string text)
    {
        layers.Add(layer);
        text += " " + layer;
    }

    // channels: the values' axis 1 (a dense layer's outputs, a convolution's channels), for a PReLU's slopes.
    private static ILayer<T> Activation(Random random, int channels) => random.Next(13) switch
    {
        10 => new Hardtanh<T>(0, 6),
        11 => new Hardsigmoid<T>(),
        12 => new Hardswish<T>(),
        8 => new PReLU<T>(random.Next(2) == 0 ? 1 : channels, init: random.NextDouble() - 0.3),
        0 => new ReLU<T>(),
        1 => new LeakyReLU<T>(0.1),
        2 => new ELU<T>(0.7),
        3 => new Sigmoid<T>(),
        4 => new Tanh<T>(),
        5 => new GELU<T>(),
        6 => new GELU<T>(tanhApproximation: true),
        7 => new SiLU<T>(),
        _ => new Softplus<T>(1.5, 5),
    };

    private static Tensor<T> Values(Random random, params int[] shape)
    {
        var values = new T[shape.Aggregate(1, (a, b) => a * b)];
        for (int i = 0; i < values.Length; i++)
            values[i] = random.Next(20) switch
            {
                0 => T.Zero,
                1 => -T.Zero,
                2 => T.One,
                3 when i > 0 => values[i - 1],
                _ => T.CreateChecked(random.NextDouble() * 6 - 3),
            };
        return TestTensors.Create(values, shape);
    }
}
