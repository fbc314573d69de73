using System.Globalization;
using System.Numerics.Tensors;
using NeuralNets.Tensors;
using System.Runtime.CompilerServices;
using NeuralNets.Kernels;

namespace NeuralNets.Layers;

/// <summary>What <see cref="MaxPool2D{T}"/> and <see cref="AvgPool2D{T}"/> share: their window's checks, shapes and printing.</summary>
internal static class PoolWindow
{
    private const string Expected = "[C, H, W]";

    /// <summary>
    /// Validates the window as PyTorch does: positive kernel and stride (the kernel by default), padding at most half the
    /// kernel; <paramref name="ceilMode"/> rounds the output size up (PyTorch's <c>ceil_mode</c>).
    /// </summary>
    public static Window2D Create(string kind, (int Height, int Width) kernel, (int Height, int Width)? stride, (int Height, int Width)? padding, bool ceilMode)
    {
        var window = Window2D.Create(kind, kernel, stride ?? kernel, padding ?? (0, 0)) with { CeilMode = ceilMode };
        if (window.PadH > window.KernelH / 2 || window.PadW > window.KernelW / 2)
            throw new ArgumentOutOfRangeException(nameof(padding), string.Create(CultureInfo.InvariantCulture,
                $"{kind}: the padding {window.PadH}×{window.PadW} must be at most half the {window.KernelH}×{window.KernelW} kernel, so that every window holds an input."));
        return window;
    }

    /// <summary>Checks an NCHW batch and returns (C, H, W) and the output size.</summary>
    /// <remarks><paramref name="layer"/> is printed only on failure, so that a forward pass allocates nothing.</remarks>
    [MethodImpl(HotPath.Options)]
    public static (int Channels, int Height, int Width) CheckInput<T>(Tensor<T> input, Window2D window, object layer, out int outH, out int outW)
    {
        if (input.Rank != 4) throw NotImages(input, layer);
        int channels = (int)input.Lengths[1], height = (int)input.Lengths[2], width = (int)input.Lengths[3];
        if (!window.Fits(height, width)) throw window.DoesNotFit(layer, "[N, C, H, W]", height, width, input.Shape());
        (outH, outW) = (window.OutputHeight(height), window.OutputWidth(width));
        return (channels, height, width);
    }

    /// <summary>Checks that a gradient has the shape of the most recent output.</summary>
    [MethodImpl(HotPath.Options)]
    public static void CheckGradient<T>(Tensor<T> outputGradient, Tensor<T> input, int outH, int outW, object layer)
    {
        var lengths = outputGradient.Lengths;
        if (lengths.Length != 4 || lengths[0] != input.Lengths[0] || lengths[1] != input.Lengths[1] || lengths[2] != outH || lengths[3] != outW)
            throw GradientDoesNotFit(outputGradient, input, outH, outW, layer);
    }

    // The messages are built apart, so that the checks, compiled fully optimised into every pass, do not carry their formatting.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static ShapeMismatchException NotImages<T>(Tensor<T> input, object layer) => new(layer.ToString() ?? "", "[N, C, H, W]", input.Shape());

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static ShapeMismatchException GradientDoesNotFit<T>(Tensor<T> outputGradient, Tensor<T> input, int outH, int outW, object layer) =>
        new(layer + " (backward)", string.Create(System.Globalization.CultureInfo.InvariantCulture, $"[{input.Lengths[0]}, {input.Lengths[1]}, {outH}, {outW}]"), outputGradient.Shape());

    /// <summary>The per-sample output <c>[C, outH, outW]</c> for a per-sample input <c>[C, H, W]</c>.</summary>
    public static int[] OutputShape(IReadOnlyList<int> inputShape, Window2D window, string layer)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        if (inputShape.Count != 3)
            throw new ShapeMismatchException(layer, Expected, inputShape, inputShape.Count == 2 ? "images need a channel dimension" : null);
        if (!window.Fits(inputShape[1], inputShape[2])) throw window.DoesNotFit(layer, Expected, inputShape[1], inputShape[2], inputShape);
        return [inputShape[0], window.OutputHeight(inputShape[1]), window.OutputWidth(inputShape[2])];
    }

    /// <summary>The description's setting of an average pool that leaves the padding out of its divisor: 0 then, absent otherwise.</summary>
    public const string CountIncludePadSetting = "countIncludePad";

    /// <summary>The window's settings; <c>countIncludePad</c> = 0 only for an average pool that leaves padding out (absent by default, as in older files).</summary>
    public static LayerDescription Describe(string kind, Window2D window, bool countIncludePad = true)
    {
        var settings = new Dictionary<string, double>();
        window.Describe(settings);
        if (!countIncludePad) settings[CountIncludePadSetting] = 0;
        return new LayerDescription(kind, settings);
    }

    /// <summary><c>MaxPool2D(3×3, stride 2, padding 1, ceil mode)</c>; an average pool that leaves padding out adds <c>padding not counted</c>.</summary>
    public static string Text(string kind, Window2D window, bool countIncludePad = true) =>
        $"{kind}({window.Text(showPadding: window.PadH != 0 || window.PadW != 0)}{(window.CeilMode ? ", ceil mode" : "")}{(countIncludePad ? "" : ", padding not counted")})";
}
