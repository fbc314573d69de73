using System.Numerics;
using System.Numerics.Tensors;
using NeuralNets.Kernels;
using NeuralNets.Serialization;
using NeuralNets.Tensors;

namespace NeuralNets.Layers;

/// <summary>
/// The warm-ups a network's layers queue (<see cref="KernelWarmUp"/>): for each library layer type, once per process, a
/// private twin runs the layer's passes on one sample of the layer's input shape (an activation on 23 values), so that
/// their code is compiled before the first step needs it.
/// </summary>
/// <remarks>
/// Running the passes is what compiles them: <see cref="System.Runtime.CompilerServices.RuntimeHelpers.PrepareMethod(RuntimeMethodHandle)"/>
/// compiles nothing for a virtual method (every layer's <c>Forward</c> and <c>Backward</c>), only for the helpers it
/// calls. A twin is a layer of the same settings with parameters and buffers of its own, or, for a layer without
/// parameters, state or random draws (activations, pooling, flattening), its inference copy. Batch normalisation, dropout,
/// the transposed convolution, PReLU and layer normalisation are built anew from their descriptions (<see cref="LayerRegistry"/>), since their
/// inference copies share running statistics or a random stream with them.
/// </remarks>
internal static class LayerRehearsal
{
    /// <summary>Queues the warm-ups of the layers not queued before; <paramref name="inputShape"/> is the first one's sample shape, when known.</summary>
    public static void Queue<T>(IEnumerable<ILayer<T>> layers, IReadOnlyList<int>? inputShape) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!KernelWarmUp.Enabled) return;
        KernelWarmUp.Enqueue(typeof(Sequential<T>), RehearseNetwork<T>);
        var shape = inputShape?.ToArray();
        foreach (var layer in layers)
        {
            if (layer is Sequential<T> nested) Queue(nested.Layers, shape);
            // A residual block's branches each start from the block's input.
            else if (layer is Residual<T> block)
                foreach (var branch in block.Branches) Queue(branch.Layers, shape);
            // A user's layer is left alone: its passes may not be safe to run on a copy, or from another thread.
            else if (LibraryCode.Declares(layer.GetType()))
            {
                var sampleShape = Bounded(layer, shape);
                // A convolution's or pooling's code paths depend on its settings (channels, window), so each setting is rehearsed.
                object key = layer is Conv2D<T> or MaxPool2D<T> or AvgPool2D<T> or ConvTranspose2D<T> ? (layer.GetType(), layer.ToString()) : layer.GetType();
                KernelWarmUp.Enqueue(key, () => Rehearse(layer, sampleShape));
            }
            shape = NextShape(layer, shape);
        }
    }

    /// <summary>
    /// Runs the passes of a twin of <paramref name="layer"/> on the calling thread, on one sample of
    /// <paramref name="sampleShape"/> (or a small shape that fits, when unknown); <paramref name="layer"/> itself is only read.
    /// </summary>
    internal static void Rehearse<T>(ILayer<T> layer, int[]? sampleShape) where T : unmanaged, IFloatingPointIeee754<T>
    {
        KernelWarmUp.PrepareHotPaths(layer.GetType());
        switch (layer)
        {
            case Dense<T>:
                // The products' tiles are the kernels' own warm-up; a small twin runs the layer's passes.
                RunTwin(new Dense<T>(17, 9, seed: 0), [17]);
                break;
            case Conv2D<T> conv:
            {
                int[] shape = sampleShape is { Length: 3 } ? sampleShape : [conv.InChannels, conv.Kernel.Height + 3, conv.Kernel.Width + 3];
                if (Bounded(conv, shape) is null) break;   // a few channels of a huge padding still make a huge output
                var twin = new Conv2D<T>(conv.InChannels, conv.OutChannels, conv.Kernel, new Random(0), conv.Stride, conv.Padding, bias: conv.HasBias,
                    groups: conv.Groups);
                // Twice: the convolution times its two implementations on its first calls, one of each compiling it.
                RunTwin(twin, shape);
                RunTwin(twin, shape);
                break;
            }
            case Activation<T> activation when activation.CreateInferenceCopy() is { } copy:
                // 23 values reach every vector width's loop and the scalar tail, whatever the layer's own shape.
                RunTwin(copy, [23]);
                if (activation.SplitsAcrossThreadsForRehearsal) Activation<T>.PrepareSplitPasses();
                // Before a dense layer, the dense layer's backward pass applies the derivative (Sequential): that path too.
                if (activation.IsLibraryElementwise && activation.CreateInferenceCopy() is { } first)
                {
                    var pair = new Sequential<T>(first, new Dense<T>(23, 3, seed: 0));
                    pair.Forward(Filled<T>([1, 23]), training: true);
                    pair.Backward(Filled<T>([1, 3]));
                }
                break;
            case MaxPool2D<T> or AvgPool2D<T> or GlobalAvgPool2D<T> or Flatten<T> when sampleShape is not null && layer.CreateInferenceCopy() is { } copy:
                RunTwin(copy, sampleShape);
                if (layer is MaxPool2D<T>) MaxPool2D<T>.PrepareSplitPasses();
                // Before a dense layer, the dense layer reads a Flatten's input itself (Sequential): that path too.
                if (layer is Flatten<T> && sampleShape.Length > 1)
                {
                    var pair = new Sequential<T>(new Flatten<T>(), new Dense<T>(ShapeSize(sampleShape), 3, seed: 0));
                    pair.Forward(Filled<T>([1, .. sampleShape]), training: true);
                    pair.Backward(Filled<T>([1, 3]));
                }
                break;
            case BatchNorm<T> or Dropout<T> or ConvTranspose2D<T> or Unflatten<T> or PReLU<T> or LayerNorm<T> when sampleShape is not null:
                // A layer of the same settings built anew from its description: running statistics, a random stream and
                // parameters of its own. Two samples: batch normalisation trains only on more than one value per channel.
                RunTwin(LayerRegistry.Create<T>(layer.Describe()), sampleShape, samples: 2);
                break;
        }
    }

    /// <summary>A network's own passes (training forward and back, a prediction) on a private two-layer network.</summary>
    internal static void RehearseNetwork<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        KernelWarmUp.PrepareHotPaths(typeof(Sequential<T>));
        KernelWarmUp.PrepareHotPaths(typeof(TensorBuffer<T>));
        KernelWarmUp.PrepareHotPaths(typeof(Parameter<T>));
        // Dense alone: an activation here would compile that activation's passes whether the caller's network has it or not.
        var twin = Network.Sequential<T>(17).Dense(9).Build(seed: 0);
        var input = Filled<T>([1, 17]);
        twin.Forward(input, training: true);
        var outputGradient = Filled<T>([1, 9]);
        twin.BackwardToParameters(outputGradient);
        twin.Forward(input, training: true);
        twin.Backward(outputGradient);
        twin.Predict(input);
    }

    /// <summary>
    /// The most values a rehearsal's sample may hold, in the layer's input or its output: 2¹⁷, a CIFAR-sized network's
    /// widest layer twice over. The network's shapes come from its caller, or from a file: a model file of a few hundred
    /// bytes may declare a 16384 × 16384 input, and the warm-up, which runs unasked, must not spend gigabytes on it.
    /// </summary>
    internal const long MaxSampleValues = 1 << 17;

    /// <summary>
    /// <paramref name="shape"/> when a sample of it, and the layer's output for it, hold at most <see cref="MaxSampleValues"/>
    /// values each; otherwise null, as for a shape not known (a convolution then rehearses on a small image of its own,
    /// the other shaped layers not at all: their code compiles at the first real call instead).
    /// </summary>
    internal static int[]? Bounded<T>(ILayer<T> layer, int[]? shape) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (shape is null || ValueCount(shape) > MaxSampleValues) return null;
        var output = NextShape(layer, shape);
        return output is not null && ValueCount(output) <= MaxSampleValues ? shape : null;
    }

    // Saturates instead of overflowing: a declared shape may be anything.
    private static long ValueCount(int[] shape)
    {
        long count = 1;
        foreach (int d in shape) count = Math.Min(count * Math.Max(d, 0), long.MaxValue / int.MaxValue);
        return count;
    }

    /// <summary>The sample shape after <paramref name="layer"/>, or null when unknown or refused.</summary>
    private static int[]? NextShape<T>(ILayer<T> layer, int[]? shape) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (shape is null) return null;
        try
        {
            return layer.OutputShape(shape).ToArray();
        }
        catch (Exception)
        {
            return null;   // the network's own checks report a misfit; the warm-up only loses its shapes
        }
    }

    /// <summary>A training pass forward and back (the input's gradient and the parameters'), then an inference pass, on one sample.</summary>
    private static void RunTwin<T>(ILayer<T> twin, int[] sampleShape, int samples = 1) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var input = Filled<T>([samples, .. sampleShape]);
        var output = twin.Forward(input, training: true);
        var outputGradient = Filled<T>(output.Shape());
        twin.Backward(outputGradient);
        if (twin is IParameterGradientOnly<T> parametersOnly) parametersOnly.BackwardToParameters(outputGradient);
        twin.Forward(input, training: false);
    }

    private static int ShapeSize(int[] shape)
    {
        int length = 1;
        foreach (int d in shape) length *= d;
        return length;
    }

    private static Tensor<T> Filled<T>(int[] shape) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int length = ShapeSize(shape);
        var values = new T[length];
        for (int i = 0; i < length; i++) values[i] = T.CreateTruncating(i % 7 - 3) / T.CreateTruncating(4);
        return TensorMemory.Wrap(values, shape);
    }
}
