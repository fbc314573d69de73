using System.Globalization;
using System.Numerics;
using System.Numerics.Tensors;
using NeuralNets.Layers;
using NeuralNets.Tensors;

namespace NeuralNets.Diagnostics;

/// <summary>
/// Activation maximisation: an input optimised by gradient ascent to excite one channel of a layer or one class, the lecture's
/// pictures of what a unit "looks for".
/// </summary>
/// <remarks>
/// <para>The objective is the mean activation a of the chosen channel (over its positions, for a <c>[C, H, W]</c> output) or the
/// chosen output unit (for a <c>[F]</c> output), minus <c>λ‖x‖²</c>. Each step shifts the image circularly by a random (dy, dx)
/// within the jitter, takes the gradient there and shifts it back, steps <c>x ← x + η·(∇ₓa − 2λx)</c>, then scales x back
/// onto the ball <c>‖x‖ ≤ MaxNorm</c>. Seeded: the same options give the same image bit for bit.</para>
/// <para>The network runs in inference mode and every parameter gradient is zero afterwards. Do not call it while the same
/// network trains on another thread.</para>
/// </remarks>
public static partial class ActivationMaximization
{
    /// <summary>The input that maximises class <paramref name="targetClass"/>'s score (the network's last output).</summary>
    /// <param name="network">A network built with an input shape.</param>
    /// <param name="targetClass">The class.</param>
    /// <param name="options">Ascent settings; defaults when null.</param>
    /// <typeparam name="T">The element type.</typeparam>
    /// <returns>The image, <c>[1, ...input shape]</c>.</returns>
    public static Tensor<T> ForClass<T>(Sequential<T> network, int targetClass, ActivationMaximizationOptions? options = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        return ForChannel(network, network.Layers.Count - 1, targetClass, options);
    }

    /// <summary>The input that maximises the mean activation of channel <paramref name="channel"/> of layer <paramref name="layer"/>.</summary>
    /// <param name="network">A network built with an input shape.</param>
    /// <param name="layer">Index of the layer whose output is maximised.</param>
    /// <param name="channel">The channel (first dimension of the layer's per-sample output).</param>
    /// <param name="options">Ascent settings; defaults when null.</param>
    /// <typeparam name="T">The element type.</typeparam>
    /// <returns>The image, <c>[1, ...input shape]</c>.</returns>
    public static Tensor<T> ForChannel<T>(Sequential<T> network, int layer, int channel, ActivationMaximizationOptions? options = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        options ??= new ActivationMaximizationOptions();
        Check(options);
        PartialPass.CheckLayer(network, layer, nameof(layer));
        var inputShape = network.InputShape
            ?? throw new ArgumentException("Activation maximisation needs a network that knows its input shape (build it with one).", nameof(network));
        var outputShape = network.Layers.Take(layer + 1).Aggregate(inputShape, (shape, l) => l.OutputShape(shape));
        if ((uint)channel >= (uint)outputShape[0])
            throw new ArgumentOutOfRangeException(nameof(channel), string.Create(CultureInfo.InvariantCulture, $"Layer {layer} ({network.Layers[layer]}) has channels 0 to {outputShape[0] - 1}, so there is no channel {channel}."));
        if (options.Jitter > 0 && inputShape.Count != 3)
            throw new ArgumentException($"Jitter shifts images [C, H, W], but the input is {TensorMemory.ShapeText(inputShape)}: set Jitter to 0.", nameof(options));

        int size = inputShape.Aggregate(1, (a, b) => a * b), perChannel = outputShape.Skip(1).Aggregate(1, (a, b) => a * b);
        int[] batchShape = [1, .. inputShape];
        var random = new Random(options.Seed);
        var x = new T[size];
        for (int i = 0; i < size; i++) x[i] = T.CreateChecked(options.InitialNoise * NeuralNets.Kernels.StandardNormal.Draw(random));
        var shifted = new T[size];
        var seed = new T[outputShape.Aggregate(1, (a, b) => a * b)];
        seed.AsSpan(channel * perChannel, perChannel).Fill(T.One / T.CreateChecked(perChannel));  // ∂(mean)/∂a
        T eta = T.CreateChecked(options.StepSize), decay = T.CreateChecked(1 - 2 * options.StepSize * options.L2Penalty);
        double maxNorm = options.MaxNorm;
        for (int step = 0; step < options.Steps; step++)
        {
            int dy = options.Jitter > 0 ? random.Next(-options.Jitter, options.Jitter + 1) : 0;
            int dx = options.Jitter > 0 ? random.Next(-options.Jitter, options.Jitter + 1) : 0;
            Shift(x, shifted, inputShape, dy, dx);
            PartialPass.Forward(network, layer, TensorMemory.Wrap(shifted, batchShape));
            var gradient = PartialPass.Backward(network, layer, TensorMemory.Wrap(seed, [1, .. outputShape]));
            Shift(gradient.Span().ToArray(), shifted, inputShape, -dy, -dx);
            // x ← x + η·(∇a − 2λx) = (1 − 2ηλ)·x + η·∇a
            for (int i = 0; i < size; i++) x[i] = decay * x[i] + eta * shifted[i];
            double norm = double.CreateChecked(TensorPrimitives.Norm<T>(x));
            if (norm > maxNorm) TensorPrimitives.Multiply<T>(x, T.CreateChecked(maxNorm / norm), x);
        }
        return TensorMemory.Wrap(x, batchShape);
    }

    /// <summary>The mean activation of channel <paramref name="channel"/> of layer <paramref name="layer"/> for one input: the objective without its penalty.</summary>
    /// <param name="network">The network.</param>
    /// <param name="layer">Index of the layer.</param>
    /// <param name="channel">The channel.</param>
    /// <param name="input">One input, <c>[1, ...]</c>.</param>
    /// <typeparam name="T">The element type.</typeparam>
    public static double MeanActivation<T>(Sequential<T> network, int layer, int channel, Tensor<T> input) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(input);
        PartialPass.CheckLayer(network, layer, nameof(layer));
        var output = PartialPass.Forward(network, layer, input);
        int perChannel = (int)(output.FlattenedLength / output.Lengths[0] / output.Lengths[1]);
        if ((uint)channel >= (uint)output.Lengths[1])
            throw new ArgumentOutOfRangeException(nameof(channel), string.Create(CultureInfo.InvariantCulture, $"Layer {layer} has channels 0 to {output.Lengths[1] - 1}, so there is no channel {channel}."));
        return double.CreateChecked(TensorPrimitives.Sum<T>(output.Span().Slice(channel * perChannel, perChannel))) / perChannel;
    }

    // Circular shift of every channel of a [C, H, W] image by (dy, dx); a plain copy for other shapes.
    private static void Shift<T>(T[] source, T[] destination, IReadOnlyList<int> shape, int dy, int dx)
    {
        if (shape.Count != 3 || (dy == 0 && dx == 0))
        {
            source.CopyTo(destination, 0);
            return;
        }
        int channels = shape[0], height = shape[1], width = shape[2], plane = height * width;
        for (int c = 0; c < channels; c++)
            for (int y = 0; y < height; y++)
            {
                int ty = ((y + dy) % height + height) % height;
                for (int x = 0; x < width; x++)
                    destination[c * plane + ty * width + ((x + dx) % width + width) % width] = source[c * plane + y * width + x];
            }
    }

    private static void Check(ActivationMaximizationOptions options)
    {
        ArgumentRange.ThrowIfNegativeOrZero(options.Steps, "options.Steps");
        ArgumentRange.ThrowIfNegative(options.Jitter, "options.Jitter");
        if (!(options.StepSize > 0) || !double.IsFinite(options.StepSize))
            throw new ArgumentOutOfRangeException("options.StepSize", string.Create(CultureInfo.InvariantCulture, $"The step size must be positive and finite, but was {options.StepSize}."));
        if (!(options.L2Penalty >= 0) || !double.IsFinite(options.L2Penalty))
            throw new ArgumentOutOfRangeException("options.L2Penalty", string.Create(CultureInfo.InvariantCulture, $"The L2 penalty must be non-negative and finite, but was {options.L2Penalty}."));
        if (!(options.MaxNorm > 0))
            throw new ArgumentOutOfRangeException("options.MaxNorm", string.Create(CultureInfo.InvariantCulture, $"The largest norm must be positive, but was {options.MaxNorm}."));
        if (!(options.InitialNoise >= 0) || !double.IsFinite(options.InitialNoise))
            throw new ArgumentOutOfRangeException("options.InitialNoise", string.Create(CultureInfo.InvariantCulture, $"The starting noise must be non-negative and finite, but was {options.InitialNoise}."));
    }
}
