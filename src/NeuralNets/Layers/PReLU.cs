using System.Globalization;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Text;
using NeuralNets.Kernels;
using NeuralNets.Tensors;

namespace NeuralNets.Layers;

/// <summary>
/// Parametric ReLU, PyTorch's <c>nn.PReLU(num_parameters, init)</c>: <c>y = x</c> for x &gt; 0, <c>a·x</c> otherwise, where
/// the slope a is learnt: one for all values, or one per channel (axis 1: the feature of a <c>[N, C]</c> input, the channel
/// of <c>[N, C, H, W]</c>).
/// </summary>
/// <remarks>
/// <para>PyTorch's kernels exactly: forward <c>x &gt; 0 ? x : a·x</c>, so 0 gives a·0 = 0 and −0 gives −0 (for a &gt; 0), and
/// NaN gives NaN; backward <c>dx = x &gt; 0 ? dy : a·dy</c> (the gradient at 0 is a·dy) and <c>da = Σ (x &gt; 0 ? 0 : x·dy)</c>
/// over the batch and the positions of a's channel, so a NaN input makes its slope's gradient NaN.</para>
/// <para>The slopes are the parameter <c>weight</c> of <see cref="SlopeCount"/> values, as in PyTorch's <c>state_dict</c>.
/// Their gradient is summed in double, over blocks of whole samples of a fixed size (the cores take whole blocks) and
/// then block after block, so it has the same bits whatever the thread count.</para>
/// </remarks>
/// <typeparam name="T">The element type.</typeparam>
public sealed class PReLU<T> : ILayer<T>, IParameterGradientOnly<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>About how many values one block of the slopes' gradient holds: a constant, so that the blocks, and the order of the sum, never depend on the thread count.</summary>
    private const int BlockValues = 1 << 13;

    private readonly TensorBuffer<T> _output = new();
    private readonly TensorBuffer<T> _inputGradient = new();
    private Tensor<T>? _input;
    private double[] _blockSums = [];   // each block's sum for each slope, block after block
    private GradientJob? _gradientJob;
    private GradientPass _pass;

    /// <summary>Creates the layer with every slope at <paramref name="init"/>.</summary>
    /// <param name="slopes">1 for one slope for all values (PyTorch's default), or the number of channels C for one per channel.</param>
    /// <param name="init">The slopes' initial value (PyTorch's 0.25); finite.</param>
    public PReLU(int slopes = 1, double init = 0.25)
    {
        ArgumentRange.ThrowIfNegativeOrZero(slopes);
        CheckInit(init);
        Weight = new Parameter<T>("weight", slopes);
        Weight.ValueSpan.Fill(T.CreateChecked(init));
        Parameters = [Weight];
    }

    /// <summary>Refuses an initial slope that is not finite (the builder calls it, to fail at its call rather than at Build).</summary>
    internal static void CheckInit(double init)
    {
        if (!double.IsFinite(init))
            throw new ArgumentOutOfRangeException(nameof(init), string.Create(CultureInfo.InvariantCulture, $"PReLU init must be finite, but was {init}."));
    }

    // An inference copy: the same parameter, buffers of its own.
    private PReLU(PReLU<T> source)
    {
        Weight = source.Weight;
        Parameters = source.Parameters;
    }

    /// <summary>The number of slopes: 1, or the number of channels.</summary>
    public int SlopeCount => Weight.Length;

    /// <summary>The slopes a (PyTorch's <c>weight</c>), shape <c>[SlopeCount]</c>.</summary>
    public Parameter<T> Weight { get; }

    /// <inheritdoc/>
    public IReadOnlyList<Parameter<T>> Parameters { get; }

    /// <summary>A copy for thread-safe inference: the same slopes, buffers of its own.</summary>
    public ILayer<T> CreateInferenceCopy() => new PReLU<T>(this);

    /// <inheritdoc/>
    [MethodImpl(HotPath.Options)]
    public Tensor<T> Forward(Tensor<T> input, bool training)
    {
        ArgumentNullException.ThrowIfNull(input);
        int spread = Spread(input);
        _input = input;
        var output = _output.GetLike(input);
        int length = (int)input.FlattenedLength;
        // Inference: a batch long enough lies split by samples across the cores as the layer before left it (see ParallelRanges.PartsForInference).
        ParallelRanges.Run(new SelectRange(this, input, input, output, spread), length, training ? 0 : ParallelRanges.PartsForInference(length, input.BatchSize()));
        return output;
    }

    // dx = x > 0 ? dy : a·dy;  da = Σ (x > 0 ? 0 : x·dy) over the batch and a's positions
    /// <inheritdoc/>
    [MethodImpl(HotPath.Options)]
    public Tensor<T> Backward(Tensor<T> outputGradient)
    {
        var inputGradient = _inputGradient.GetLike(CheckGradient(outputGradient));
        RunBackward(outputGradient, inputGradient);
        return inputGradient;
    }

    /// <inheritdoc/>
    [MethodImpl(HotPath.Options)]
    void IParameterGradientOnly<T>.BackwardToParameters(Tensor<T> outputGradient)
    {
        CheckGradient(outputGradient);
        RunBackward(outputGradient, inputGradient: null);
    }

    private Tensor<T> CheckGradient(Tensor<T> outputGradient)
    {
        ArgumentNullException.ThrowIfNull(outputGradient);
        var input = _input ?? throw PassOrder.BackwardBeforeForward(this);
        if (!outputGradient.Lengths.SequenceEqual(input.Lengths))
            throw PassShapes.GradientNotLikeInput(this, input, outputGradient);
        return input;
    }

    // The blocks (each of whole samples) go to the cores; each writes its sums into its own row, and the rows are added here
    // in block order.
    [MethodImpl(HotPath.Options)]
    private void RunBackward(Tensor<T> outputGradient, Tensor<T>? inputGradient)
    {
        var input = _input!;
        int batch = input.BatchSize(), slopes = SlopeCount, spread = Spread(input);
        int sample = spread * slopes;
        if (batch == 0 || sample == 0) return;
        int samplesPerBlock = Math.Max(1, BlockValues / sample), blocks = (batch + samplesPerBlock - 1) / samplesPerBlock;
        if (_blockSums.Length < blocks * slopes) _blockSums = new double[blocks * slopes];
        _pass = new GradientPass(input, outputGradient, inputGradient, spread, samplesPerBlock, blocks);
        int parts = Math.Min(blocks, ParallelRanges.PartsFor(input.FlattenedLength));
        var job = _gradientJob ??= new GradientJob(this);
        try
        {
            if (parts > 1) WorkerTeam.Run(job, parts);
            else job.RunPart(0, 1);
        }
        finally
        {
            _pass = default;
        }
        // The gradient taken here, on the calling thread: a gradient pending zero is cleared by its first reader.
        Span<T> gradient = Weight.GradientSpan;
        for (int c = 0; c < slopes; c++)
        {
            double sum = 0;
            for (int b = 0; b < blocks; b++) sum += _blockSums[b * slopes + c];
            gradient[c] += T.CreateTruncating(sum);
        }
    }

    private readonly record struct GradientPass(Tensor<T> X, Tensor<T> Dy, Tensor<T>? Dx, int Spread, int SamplesPerBlock, int Blocks)
    {
        // Numbers written in the invariant culture (RecordText), not the current one as the generated member list would.
        private bool PrintMembers(StringBuilder builder) => RecordText.PrintMembers(this, builder);
    }

    private sealed class GradientJob(PReLU<T> layer) : TeamWork
    {
        [MethodImpl(HotPath.Options)]
        public override void RunPart(int part, int parts)
        {
            int blocks = layer._pass.Blocks;
            for (int b = blocks * part / parts, end = blocks * (part + 1) / parts; b < end; b++) layer.BackwardBlock(b);
        }
    }

    // One block of samples: its input gradient, and into its row of the block sums each slope's Σ x·dy where x is not
    // positive, sample after sample, position after position.
    [MethodImpl(HotPath.Options)]
    private void BackwardBlock(int block)
    {
        var pass = _pass;
        int slopes = SlopeCount, spread = pass.Spread, sample = slopes * spread, batch = pass.X.BatchSize();
        int first = block * pass.SamplesPerBlock, end = Math.Min(batch, first + pass.SamplesPerBlock);
        if (pass.Dx is { } dx) Select(pass.X, pass.Dy, dx, spread, first * sample, (end - first) * sample);
        ReadOnlySpan<T> x = pass.X.Span(), dy = pass.Dy.Span();
        Span<double> sums = _blockSums.AsSpan(block * slopes, slopes);
        sums.Clear();
        for (int n = first; n < end; n++)
            for (int c = 0; c < slopes; c++)
            {
                int start = n * sample + c * spread;
                sums[c] = AddNonPositiveProducts(x.Slice(start, spread), dy.Slice(start, spread), sums[c]);
            }
    }

    // sum + Σ x[i]·dy[i] over the i where x[i] is not positive (NaN included, as PyTorch's), in order.
    [MethodImpl(HotPath.Options)]
    private static double AddNonPositiveProducts(ReadOnlySpan<T> x, ReadOnlySpan<T> dy, double sum)
    {
        for (int i = 0; i < x.Length; i++)
            if (!(x[i] > T.Zero)) sum += double.CreateTruncating(x[i]) * double.CreateTruncating(dy[i]);
        return sum;
    }

    private readonly struct SelectRange(PReLU<T> layer, Tensor<T> x, Tensor<T> values, Tensor<T> y, int spread) : IRangeOperation
    {
        [MethodImpl(HotPath.Options)]
        public void Run(int start, int length) => layer.Select(x, values, y, spread, start, length);
    }

    // y[i] = x[i] > 0 ? v[i] : a·v[i] over [start, start + length), a the slope of element i's channel: with v = x the
    // forward pass, with v = dy the input gradient. Channel after channel along memory, a plane at a time; rows of one value
    // per channel ([N, C]) a row at a time, each value with its own slope.
    [MethodImpl(HotPath.Options)]
    private void Select(Tensor<T> input, Tensor<T> values, Tensor<T> result, int spread, int start, int length)
    {
        ReadOnlySpan<T> x = input.Span(), v = values.Span(), slopes = Weight.ValueSpan;
        Span<T> y = result.Span();
        if (slopes.Length == 1)
        {
            Elementwise.SelectPositive(x.Slice(start, length), v.Slice(start, length), v.Slice(start, length), slopes[0], y.Slice(start, length));
            return;
        }
        int channels = slopes.Length;
        for (int i = start, end = start + length; i < end;)
        {
            int plane = i / spread, c = plane % channels;
            if (spread == 1)
            {
                int stop = Math.Min(end, i - c + channels), count = stop - i;
                Elementwise.SelectPositive(x.Slice(i, count), v.Slice(i, count), v.Slice(i, count), slopes.Slice(c, count), y.Slice(i, count));
                i = stop;
            }
            else
            {
                int stop = Math.Min(end, (plane + 1) * spread), count = stop - i;
                Elementwise.SelectPositive(x.Slice(i, count), v.Slice(i, count), v.Slice(i, count), slopes[c], y.Slice(i, count));
                i = stop;
            }
        }
    }

    // Values per slope and sample: a plane of a channel, or a whole sample for one slope. Checks the input fits.
    [MethodImpl(HotPath.Options)]
    private int Spread(Tensor<T> input)
    {
        int slopes = SlopeCount;
        if (slopes > 1 ? input.Rank < 2 || input.Lengths[1] != slopes : input.Rank < 1) throw InputDoesNotFit(input);
        int batch = input.BatchSize();
        return batch == 0 ? 0 : (int)(input.FlattenedLength / batch / slopes);
    }

    // Built apart, so that the forward pass, compiled fully optimised (HotPath), does not carry its formatting.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private ShapeMismatchException InputDoesNotFit(Tensor<T> input) =>
        new(ToString(), string.Create(CultureInfo.InvariantCulture, $"[N, {SlopeCount}, ...] (a slope per channel of axis 1)"), input.Shape());

    /// <inheritdoc/>
    public IReadOnlyList<int> OutputShape(IReadOnlyList<int> inputShape)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        if (SlopeCount > 1 && (inputShape.Count < 1 || inputShape[0] != SlopeCount))
            throw new ShapeMismatchException(ToString(), string.Create(CultureInfo.InvariantCulture, $"[{SlopeCount}, ...] (a slope per channel)"), inputShape);
        return inputShape.ToArray();
    }

    /// <summary>The setting that holds <see cref="SlopeCount"/>.</summary>
    public const string SlopesSetting = "slopes";

    /// <summary>The kind <c>PReLU</c> and the number of slopes; the slopes themselves are the parameter.</summary>
    public LayerDescription Describe() => new("PReLU", new Dictionary<string, double> { [SlopesSetting] = SlopeCount });

    /// <summary>Prints like <c>PReLU(slopes=16)</c>.</summary>
    public override string ToString() => Describe().ToString();
}
