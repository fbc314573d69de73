using System.Numerics;
using System.Numerics.Tensors;
using NeuralNets.Tensors;

namespace NeuralNets;

/// <summary>
/// Max pooling over NCHW images: each output is the largest input in its window, channel by
/// channel, as PyTorch's <c>nn.MaxPool2d</c> (padding counts as −∞; the stride defaults to the kernel).
/// </summary>
/// <remarks>
/// <c>y[n, c, r, q] = max_{i, j} x[n, c, r·sH − pH + i, q·sW − pW + j]</c>. The derivative is 1 at the
/// winning input (the first in row-major order on a tie; a NaN wins over any number) and 0 elsewhere, so Backward
/// routes each <c>dy</c> to its winner; where windows overlap, one input can win several and receives the sum.
/// </remarks>
/// <typeparam name="T">The element type.</typeparam>
public sealed class MaxPool2D<T> : ILayer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Window2D _window;
    private readonly TensorBuffer<T> _output = new();
    private readonly TensorBuffer<T> _inputGradient = new();
    private Tensor<T>? _input;
    private int[] _winners = [];  // flat input index of each output's maximum
    private int _outH, _outW;

    /// <summary>Creates the layer with a square window.</summary>
    /// <param name="kernel">Window height and width.</param>
    /// <param name="stride">Step between windows; the kernel size when null (non-overlapping windows).</param>
    /// <param name="padding">Implicit −∞ padding on every side; at most half the kernel.</param>
    public MaxPool2D(int kernel, int? stride = null, int padding = 0)
        : this((kernel, kernel), stride is { } s ? (s, s) : null, (padding, padding)) { }

    /// <summary>Creates the layer with a rectangular window, stride and padding given as (height, width).</summary>
    /// <param name="kernel">Window (height, width).</param>
    /// <param name="stride">Step between windows; the kernel size when null.</param>
    /// <param name="padding">Implicit −∞ padding; (0, 0) when null; at most half the kernel.</param>
    public MaxPool2D((int Height, int Width) kernel, (int Height, int Width)? stride = null, (int Height, int Width)? padding = null)
    {
        _window = PoolWindow.Create("MaxPool2D", kernel, stride, padding);
    }

    /// <inheritdoc/>
    public IReadOnlyList<Parameter<T>> Parameters { get; } = [];

    /// <summary>Window (height, width).</summary>
    public (int Height, int Width) Kernel => (_window.KernelH, _window.KernelW);

    /// <summary>Stride (height, width).</summary>
    public (int Height, int Width) Stride => (_window.StrideH, _window.StrideW);

    /// <summary>Padding (height, width).</summary>
    public (int Height, int Width) Padding => (_window.PadH, _window.PadW);

    /// <inheritdoc/>
    public Tensor<T> Forward(Tensor<T> input, bool training = false)
    {
        ArgumentNullException.ThrowIfNull(input);
        var (channels, height, width) = PoolWindow.CheckInput(input, _window, this, out _outH, out _outW);
        _input = input;
        int batch = input.BatchSize(), planes = batch * channels, plane = height * width, outPlane = _outH * _outW;
        if (_winners.Length < planes * outPlane) _winners = new int[planes * outPlane];
        var output = _output.Get(batch, [channels, _outH, _outW]);
        ReadOnlySpan<T> x = input.Span();
        Span<T> y = output.Span();
        for (int p = 0; p < planes; p++)
        {
            int planeStart = p * plane;
            var source = x.Slice(planeStart, plane);
            for (int r = 0; r < _outH; r++)
            {
                int top = r * _window.StrideH - _window.PadH;
                int rowStart = Math.Max(top, 0), rowEnd = Math.Min(top + _window.KernelH, height);
                for (int q = 0; q < _outW; q++)
                {
                    int left = q * _window.StrideW - _window.PadW;
                    int columnStart = Math.Max(left, 0), columnEnd = Math.Min(left + _window.KernelW, width);
                    int winner = rowStart * width + columnStart;
                    T best = source[winner];
                    for (int i = rowStart; i < rowEnd; i++)
                    {
                        int lineStart = i * width + columnStart;
                        var line = source.Slice(lineStart, columnEnd - columnStart);
                        for (int j = 0; j < line.Length; j++)
                        {
                            // As PyTorch: a NaN takes the place of any number, so a window with a NaN gives NaN.
                            if (line[j] > best || T.IsNaN(line[j]))
                            {
                                best = line[j];
                                winner = lineStart + j;
                            }
                        }
                    }
                    int k = p * outPlane + r * _outW + q;
                    y[k] = best;
                    _winners[k] = planeStart + winner;
                }
            }
        }
        return output;
    }

    // dx[winner(k)] += dy[k]
    /// <inheritdoc/>
    public Tensor<T> Backward(Tensor<T> outputGradient)
    {
        ArgumentNullException.ThrowIfNull(outputGradient);
        var input = _input ?? throw new InvalidOperationException($"{this}: Backward called before Forward.");
        PoolWindow.CheckGradient(outputGradient, input, _outH, _outW, this);
        var inputGradient = _inputGradient.GetLike(input);
        Span<T> dx = inputGradient.Span();
        dx.Clear();
        ReadOnlySpan<T> dy = outputGradient.Span();
        for (int k = 0; k < dy.Length; k++) dx[_winners[k]] += dy[k];
        return inputGradient;
    }

    /// <inheritdoc/>
    public int[] OutputShape(IReadOnlyList<int> inputShape) => PoolWindow.OutputShape(inputShape, _window, ToString());

    /// <inheritdoc/>
    public LayerDescription Describe() => PoolWindow.Describe("MaxPool2D", _window);

    /// <summary>Prints like <c>MaxPool2D(2×2, stride 2)</c>.</summary>
    public override string ToString() => PoolWindow.Text("MaxPool2D", _window);
}
