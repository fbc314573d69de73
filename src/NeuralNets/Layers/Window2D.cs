using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using NeuralNets.Kernels;

namespace NeuralNets.Layers;

/// <summary>
/// The geometry a convolution or pooling window slides with: kernel, stride and zero padding,
/// each as (height, width). Shared by <see cref="Conv2D{T}"/>, <see cref="MaxPool2D{T}"/> and
/// <see cref="AvgPool2D{T}"/> so that they size their outputs and reject inputs alike. With <paramref name="CeilMode"/>
/// (pooling's <c>ceil_mode</c>) the output size rounds up, so that a last window may overhang the padded input.
/// </summary>
internal readonly record struct Window2D(int KernelH, int KernelW, int StrideH, int StrideW, int PadH, int PadW, bool CeilMode = false)
{
    /// <summary>Validates every length; <paramref name="layer"/> names the layer being created.</summary>
    public static Window2D Create(string layer, (int Height, int Width) kernel, (int Height, int Width) stride, (int Height, int Width) padding)
    {
        if (kernel.Height <= 0 || kernel.Width <= 0)
            throw new ArgumentOutOfRangeException(nameof(kernel), string.Create(CultureInfo.InvariantCulture, $"{layer}: the kernel must be at least 1×1, but was {kernel.Height}×{kernel.Width}."));
        if (stride.Height <= 0 || stride.Width <= 0)
            throw new ArgumentOutOfRangeException(nameof(stride), string.Create(CultureInfo.InvariantCulture, $"{layer}: the stride must be at least 1 in both directions, but was {stride.Height}×{stride.Width}."));
        if (padding.Height < 0 || padding.Width < 0)
            throw new ArgumentOutOfRangeException(nameof(padding), string.Create(CultureInfo.InvariantCulture, $"{layer}: the padding must not be negative, but was {padding.Height}×{padding.Width}."));
        return new Window2D(kernel.Height, kernel.Width, stride.Height, stride.Width, padding.Height, padding.Width);
    }

    /// <summary>Output height ⌊(H + 2p − k)/s⌋ + 1 for input height <paramref name="height"/> (may be ≤ 0 when the kernel does not fit); see <see cref="OutputLength"/>.</summary>
    public int OutputHeight(int height) => OutputLength(height, KernelH, StrideH, PadH);

    /// <summary>Output width ⌊(W + 2p − k)/s⌋ + 1 for input width <paramref name="width"/> (may be ≤ 0 when the kernel does not fit); see <see cref="OutputLength"/>.</summary>
    public int OutputWidth(int width) => OutputLength(width, KernelW, StrideW, PadW);

    /// <summary>
    /// ⌊(n + 2p − k)/s⌋ + 1 windows along an axis of <paramref name="length"/> n; in ceil mode ⌈(n + 2p − k)/s⌉ + 1, one
    /// fewer where the last window would start at or beyond n + p (in the right padding only), as PyTorch sizes it.
    /// </summary>
    private int OutputLength(int length, int kernel, int stride, int pad)
    {
        if (!CeilMode) return FloorDivide(length + 2 * pad - kernel, stride) + 1;
        int windows = FloorDivide(length + 2 * pad - kernel + stride - 1, stride) + 1;
        return (windows - 1) * stride >= length + pad ? windows - 1 : windows;
    }

    /// <summary>Whether some window reaches beyond the padded input (only in ceil mode), so that not every window is whole.</summary>
    public bool Overhangs(int height, int width) =>
        CeilMode && ((OutputHeight(height) - 1) * StrideH + KernelH > height + 2 * PadH || (OutputWidth(width) - 1) * StrideW + KernelW > width + 2 * PadW);

    /// <summary>
    /// How many cells of the padded input output (<paramref name="row"/>, <paramref name="column"/>)'s window covers, padding
    /// counted and the overhang of ceil mode not: PyTorch's divisor for <c>count_include_pad=True</c>.
    /// </summary>
    public int PaddedArea(int row, int column, int height, int width)
    {
        int top = row * StrideH - PadH, left = column * StrideW - PadW;
        return (Math.Min(top + KernelH, height + PadH) - top) * (Math.Min(left + KernelW, width + PadW) - left);
    }

    /// <summary>The input rows [Start, End) under output row <paramref name="row"/>'s window, clipped to the image (padding left out).</summary>
    public (int Start, int End) Rows(int row, int height)
    {
        int top = row * StrideH - PadH;
        return (Math.Max(top, 0), Math.Min(top + KernelH, height));
    }

    /// <summary>The input columns [Start, End) under output column <paramref name="column"/>'s window, clipped to the image.</summary>
    public (int Start, int End) Columns(int column, int width)
    {
        int left = column * StrideW - PadW;
        return (Math.Max(left, 0), Math.Min(left + KernelW, width));
    }

    /// <summary>Whether the kernel fits into the padded input, so that the output is at least 1×1.</summary>
    [MethodImpl(HotPath.Options)]
    public bool Fits(int height, int width) => OutputHeight(height) > 0 && OutputWidth(width) > 0;

    /// <summary>
    /// The error for an input plane the kernel does not fit (see <see cref="Fits"/>), naming
    /// <paramref name="layer"/>, the expected and the actual shape and the sizes involved.
    /// </summary>
    // Not inlined: the layers' passes, compiled fully optimised, call it on their error path only.
    [MethodImpl(MethodImplOptions.NoInlining)]
    public ShapeMismatchException DoesNotFit(object layer, string expected, int height, int width, IReadOnlyList<int> actual) =>
        new(layer.ToString() ?? "", expected, actual, string.Create(CultureInfo.InvariantCulture,
            $"the {KernelH}×{KernelW} kernel is larger than the padded {height + 2 * PadH}×{width + 2 * PadW} input, so the output would be {Math.Max(OutputHeight(height), 0)}×{Math.Max(OutputWidth(width), 0)}"));

    /// <summary>Text for <c>ToString()</c>: <c>5×5, stride 1, padding 2</c>, pairs written <c>1×2</c> when they differ.</summary>
    public string Text(bool showPadding) =>
        string.Create(CultureInfo.InvariantCulture, $"{KernelH}×{KernelW}, stride {Pair(StrideH, StrideW)}") + (showPadding ? $", padding {Pair(PadH, PadW)}" : "");

    /// <summary>Adds the six lengths to a layer's description (and <c>ceilMode</c> = 1 in ceil mode, nothing otherwise, as files before it hold).</summary>
    public void Describe(Dictionary<string, double> settings)
    {
        settings["kernelH"] = KernelH;
        settings["kernelW"] = KernelW;
        settings["strideH"] = StrideH;
        settings["strideW"] = StrideW;
        settings["padH"] = PadH;
        settings["padW"] = PadW;
        if (CeilMode) settings[CeilModeSetting] = 1;
    }

    /// <summary>The description's setting for ceil mode: 1 when on, absent when off.</summary>
    public const string CeilModeSetting = "ceilMode";

    private static string Pair(int h, int w) =>
        h == w ? h.ToString(CultureInfo.InvariantCulture) : string.Create(CultureInfo.InvariantCulture, $"{h}×{w}");

    // Floor division also for a negative numerator, so that a kernel larger than the input gives size ≤ 0.
    private static int FloorDivide(int a, int b) => a >= 0 ? a / b : -((-a + b - 1) / b);

    // Numbers written in the invariant culture (RecordText), not the current one as the generated member list would.
    private bool PrintMembers(StringBuilder builder) => RecordText.PrintMembers(this, builder);
}
