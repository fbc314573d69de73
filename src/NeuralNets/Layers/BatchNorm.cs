using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Text;
using NeuralNets.Kernels;
using NeuralNets.Tensors;

namespace NeuralNets.Layers;

/// <summary>
/// Batch normalisation over the channel axis of <c>[N, C, ...]</c>, as PyTorch's <c>BatchNorm1d</c>/<c>BatchNorm2d</c>:
/// <c>y = γ·(x − μ)/√(σ² + ε) + β</c> per channel. While training, μ and σ² are the batch's mean and biased variance
/// over every value of the channel (N·L of them), and the running statistics move toward them by
/// <c>r ← (1 − m)·r + m·b</c>, the variance's with the unbiased estimate, where m is <see cref="Momentum"/> or, when
/// that is null, 1/n for the n-th training batch (<see cref="BatchesTracked"/>): PyTorch's cumulative moving average, the
/// plain mean of every batch's statistics. In inference the running statistics are used instead.
/// </summary>
/// <remarks>
/// <para>With <see cref="Affine"/> (the default), γ (<c>weight</c>, ones) and β (<c>bias</c>, zeros) are the
/// <see cref="Parameters"/>; without, there are none and γ = 1, β = 0 (PyTorch's <c>affine=False</c>). The running mean
/// (zeros), variance (ones) and the count of training batches (PyTorch's <c>num_batches_tracked</c>) are state, not
/// parameters: optimizers never see them. They are saved in the layer's <see cref="Describe">description</see> (text
/// settings <c>runningMean</c>, <c>runningVar</c>: the float64 values, little-endian, in base64; the setting
/// <c>batchesTracked</c>), so that <see cref="Serialization.ModelFile"/> and checkpoints keep them with the model and
/// the ONNX export finds them, with no change to the file's parameter list.</para>
/// <para>An inference copy (<see cref="CreateInferenceCopy"/>) reads the same running statistics and refuses to train.</para>
/// </remarks>
/// <typeparam name="T">The element type.</typeparam>
public abstract class BatchNorm<T> : ILayer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[] _runningMean;
    private readonly T[] _runningVariance;
    private readonly bool _isInferenceCopy;
    private readonly TensorBuffer<T> _output = new();
    private readonly TensorBuffer<T> _inputGradient = new();
    private readonly double[] _mean, _inverseDeviation;
    private readonly long[] _batchesTracked;
    private Tensor<T>? _input;

    /// <summary>Creates the layer with γ = 1, β = 0, running mean 0 and running variance 1.</summary>
    /// <param name="features">The number of channels C.</param>
    /// <param name="momentum">The weight of each batch in the running statistics, in [0, 1] (PyTorch's 0.1 by default); null for the cumulative average.</param>
    /// <param name="epsilon">Added to the variance before the square root; finite and positive.</param>
    /// <param name="affine">Whether γ and β are learnt parameters; without, the layer only normalises.</param>
    protected BatchNorm(int features, double? momentum, double epsilon, bool affine)
    {
        ArgumentRange.ThrowIfNegativeOrZero(features);
        if (momentum is { } m && !(m is >= 0 and <= 1))
            throw new ArgumentOutOfRangeException(nameof(momentum), string.Create(CultureInfo.InvariantCulture, $"BatchNorm momentum must be in [0, 1] (or null for the cumulative average), but was {m}."));
        if (!double.IsFinite(epsilon) || epsilon <= 0)
            throw new ArgumentOutOfRangeException(nameof(epsilon), string.Create(CultureInfo.InvariantCulture, $"BatchNorm epsilon must be finite and positive, but was {epsilon}."));
        Features = features;
        Momentum = momentum;
        Epsilon = epsilon;
        Affine = affine;
        (Weight, Bias, Parameters) = NormalizationAffine.Create<T>(affine, [features]);
        _batchesTracked = new long[1];
        _runningMean = new T[features];
        _runningVariance = new T[features];
        _runningVariance.AsSpan().Fill(T.One);
        (_mean, _inverseDeviation) = (new double[features], new double[features]);
    }

    /// <summary>A copy for inference that shares the parameters and the running statistics.</summary>
    /// <param name="source">The layer copied.</param>
    protected BatchNorm(BatchNorm<T> source)
    {
        ArgumentNullException.ThrowIfNull(source);
        (Features, Momentum, Epsilon, Affine, Weight, Bias, Parameters) = (source.Features, source.Momentum, source.Epsilon, source.Affine, source.Weight, source.Bias, source.Parameters);
        (_runningMean, _runningVariance, _batchesTracked) = (source._runningMean, source._runningVariance, source._batchesTracked);
        (_mean, _inverseDeviation) = (new double[Features], new double[Features]);
        _isInferenceCopy = true;
    }

    /// <summary>The number of channels C.</summary>
    public int Features { get; }

    /// <summary>The weight of each batch in the running statistics; null for the cumulative average (1/n for the n-th batch).</summary>
    public double? Momentum { get; }

    /// <summary>The ε added to the variance.</summary>
    public double Epsilon { get; }

    /// <summary>Whether γ and β are learnt parameters (PyTorch's <c>affine</c>).</summary>
    public bool Affine { get; }

    /// <summary>γ, the per-channel scale (PyTorch's <c>weight</c>); null without <see cref="Affine"/>.</summary>
    public Parameter<T>? Weight { get; }

    /// <summary>β, the per-channel shift (PyTorch's <c>bias</c>); null without <see cref="Affine"/>.</summary>
    public Parameter<T>? Bias { get; }

    /// <summary>The number of training batches seen (PyTorch's <c>num_batches_tracked</c>); the cumulative average divides by it.</summary>
    public long BatchesTracked => _batchesTracked[0];

    /// <inheritdoc/>
    public IReadOnlyList<Parameter<T>> Parameters { get; }

    /// <summary>The running mean per channel (PyTorch's <c>running_mean</c>); read-only here.</summary>
    public ReadOnlySpan<T> RunningMean => _runningMean;

    /// <summary>The running (unbiased) variance per channel (PyTorch's <c>running_var</c>); read-only here.</summary>
    public ReadOnlySpan<T> RunningVariance => _runningVariance;

    /// <summary>The layer's kind, e.g. <c>"BatchNorm2D"</c>.</summary>
    protected abstract string Kind { get; }

    /// <summary>The per-sample shape this layer takes, for messages, e.g. <c>"[C, H, W]"</c>.</summary>
    protected abstract string SampleShapeText { get; }

    // Built apart, so that the forward pass, compiled fully optimised (HotPath), does not carry its formatting.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private ShapeMismatchException InputDoesNotFit(Tensor<T> input) =>
        new(ToString(), string.Create(CultureInfo.InvariantCulture, $"[N, {SampleShapeText[1..]} with C = {Features}"), input.Shape());

    [MethodImpl(MethodImplOptions.NoInlining)]
    private InvalidOperationException InferenceCopyCannotTrain() =>
        new($"{this}: an inference copy shares its source's running statistics read-only and cannot train.");

    [MethodImpl(MethodImplOptions.NoInlining)]
    private ArgumentException TooFewValuesToTrain(int batch, int spread) =>
        new(string.Create(CultureInfo.InvariantCulture,
            $"{this}: training needs more than one value per channel (batch {batch} × {spread} positions), as PyTorch does."), "input");

    /// <summary>Whether a per-sample rank (the shape without the batch, the channels first) is one this layer takes.</summary>
    /// <param name="sampleRank">The number of per-sample dimensions.</param>
    protected abstract bool AcceptsRank(int sampleRank);

    /// <summary>Replaces the running statistics, e.g. with PyTorch's <c>running_mean</c>, <c>running_var</c> and <c>num_batches_tracked</c>.</summary>
    /// <param name="mean">C means.</param>
    /// <param name="variance">C variances, each finite and non-negative.</param>
    /// <param name="batchesTracked">The number of training batches they summarise (the cumulative average's n); 0 by default.</param>
    /// <exception cref="ArgumentException">A length is not C, or a value is not finite, or a variance is negative.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="batchesTracked"/> is negative or above 2^53 (a model
    /// file keeps the count as a double, which holds every count exactly only up to there).</exception>
    /// <exception cref="InvalidOperationException">This is an inference copy, whose statistics are read-only.</exception>
    public void SetRunningStatistics(ReadOnlySpan<double> mean, ReadOnlySpan<double> variance, long batchesTracked = 0)
    {
        if (_isInferenceCopy) throw new InvalidOperationException($"{this}: an inference copy reads its source's running statistics and cannot set them.");
        ArgumentRange.ThrowIfNegative(batchesTracked);
        if (batchesTracked > Serialization.BuiltInLayerKinds.MaxBatchesTracked)
            throw new ArgumentOutOfRangeException(nameof(batchesTracked), string.Create(CultureInfo.InvariantCulture,
                $"{this}: batchesTracked is {batchesTracked}; above 2^53 a model file, which keeps the count as a double, could not save it exactly."));
        if (mean.Length != Features || variance.Length != Features)
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"{this}: running statistics need {Features} means and {Features} variances, got {mean.Length} and {variance.Length}."));
        for (int c = 0; c < Features; c++)
        {
            if (!double.IsFinite(mean[c])) throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"{this}: running mean {c} is {mean[c]}, not finite."), nameof(mean));
            if (!double.IsFinite(variance[c]) || variance[c] < 0)
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"{this}: running variance {c} is {variance[c]}; it must be finite and non-negative."), nameof(variance));
        }
        for (int c = 0; c < Features; c++) (_runningMean[c], _runningVariance[c]) = (T.CreateTruncating(mean[c]), T.CreateTruncating(variance[c]));
        _batchesTracked[0] = batchesTracked;
    }

    /// <inheritdoc/>
    [MethodImpl(HotPath.Options)]
    public Tensor<T> Forward(Tensor<T> input, bool training) => Normalize(input, training, rectify: false);

    /// <summary>
    /// The forward pass with the <see cref="ReLU{T}"/> after this layer applied too: each core rectifies the planes it has
    /// just normalised while they are in its cache (<see cref="Sequential{T}"/> takes this path for a ReLU after a batch
    /// normalisation, unless a pool after the ReLU applies it instead). The same values, bit for bit, as this layer's output
    /// and then the ReLU's (the same function on the same values), without the ReLU's pass over the tensor; this layer's
    /// backward pass reads its input, never its output.
    /// </summary>
    [MethodImpl(HotPath.Options)]
    internal Tensor<T> ForwardRectified(Tensor<T> input, bool training) => Normalize(input, training, rectify: true);

    // Not inlined: the forward pass and its rectifying twin, each compiled fully optimised, would otherwise each compile this whole body.
    [MethodImpl(HotPath.Options | MethodImplOptions.NoInlining)]
    private Tensor<T> Normalize(Tensor<T> input, bool training, bool rectify)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank < 2 || !AcceptsRank(input.Rank - 1) || input.Lengths[1] != Features)
            throw InputDoesNotFit(input);
        if (training && _isInferenceCopy) throw InferenceCopyCannotTrain();
        int batch = input.BatchSize(), spread = Spread(input), count = batch * spread;
        if (training && count < 2)
            throw TooFewValuesToTrain(batch, spread);
        _input = input;
        ReadOnlySpan<T> x = input.Span();
        // PyTorch counts the batch first, then weighs it by 1/n when there is no momentum.
        if (training) _batchesTracked[0]++;
        double weight = Momentum ?? 1.0 / _batchesTracked[0];
        var output = _output.GetLike(input);
        Span<T> y = output.Span();
        if (spread == 1)
        {
            ForwardRows(x, y, batch, training, weight, rectify);
            _trainingPass = training;
            return output;
        }
        _planes = new PlanePass(input, output, null, null, batch, spread, training, weight, default, default, rectify);
        RunOnChannels(forward: true, (long)batch * Features * spread);
        _trainingPass = training;
        return output;
    }

    private bool _trainingPass;

    // With x̂ = (x − μ)/s over the m values of a channel: dγ = Σ dy·x̂, dβ = Σ dy, and
    // dx = γ/s · (dy − Σdy/m − x̂·Σ(dy·x̂)/m) when μ and s came from the batch; dx = γ/s · dy when they were the running ones.
    /// <inheritdoc/>
    [MethodImpl(HotPath.Options)]
    public Tensor<T> Backward(Tensor<T> outputGradient)
    {
        ArgumentNullException.ThrowIfNull(outputGradient);
        var input = _input ?? throw PassOrder.BackwardBeforeForward(this);
        if (!outputGradient.Lengths.SequenceEqual(input.Lengths))
            throw PassShapes.GradientNotLikeInput(this, input, outputGradient);
        int batch = input.BatchSize(), spread = Spread(input);
        double count = batch * spread;
        ReadOnlySpan<T> x = input.Span(), dy = outputGradient.Span();
        var inputGradient = _inputGradient.GetLike(input);
        Span<T> dx = inputGradient.Span();
        if (spread == 1)
        {
            BackwardRows(x, dy, dx, batch);
            return inputGradient;
        }
        // γ's and β's gradients taken here, on the calling thread: a gradient pending zero is cleared by its first reader.
        _planes = new PlanePass(input, null, outputGradient, inputGradient, batch, spread, _trainingPass, 0,
            Affine ? Weight!.GradientSegment : default, Affine ? Bias!.GradientSegment : default, Rectify: false);
        RunOnChannels(forward: false, (long)batch * Features * spread);
        return inputGradient;
    }

    // Several values per channel and sample (BatchNorm2D's planes): each core takes a range of channels, all of their planes,
    // and computes their sums (in PlaneSums' sixteen lanes along each plane), statistics and outputs (or gradients) alone; the
    // channels' work is independent, so any cut gives the same bits. Every pass goes sample after sample, through the core's
    // channels of each sample, which lie side by side in memory: a channel's planes alone lie a sample apart.

    private PlanePass _planes;
    private ChannelJob? _channelJob;

    private readonly record struct PlanePass(Tensor<T> X, Tensor<T>? Y, Tensor<T>? Dy, Tensor<T>? Dx, int Batch, int Spread, bool Training,
        double Weight, ArraySegment<T> WeightGradient, ArraySegment<T> BiasGradient, bool Rectify)
    {
        // Numbers written in the invariant culture (RecordText), not the current one as the generated member list would.
        private bool PrintMembers(StringBuilder builder) => RecordText.PrintMembers(this, builder);
    }

    [MethodImpl(HotPath.Options)]
    private void RunOnChannels(bool forward, long values)
    {
        var job = _channelJob ??= new ChannelJob(this);
        job.Forward = forward;
        int parts = Features > 1 ? Math.Min(Features, ParallelRanges.PartsForRowsInPlace(values)) : 1;
        // The per-channel sums' scratch is grown here, on the calling thread: grown by the parts, two could each replace it.
        RowScratch(0);
        if (_laneScratch.Length < PlaneSums.LaneStorage(Features)) _laneScratch = new double[PlaneSums.LaneStorage(Features)];
        int spread = _planes.Spread;
        if (PlaneSums.IsShort(spread) && _spreadScratch.Length < 5 * Features * spread) _spreadScratch = new double[5 * Features * spread];
        try
        {
            if (parts > 1) WorkerTeam.Run(job, parts);
            else job.RunPart(0, 1);
        }
        finally
        {
            _planes = default;
        }
    }

    private sealed class ChannelJob(BatchNorm<T> layer) : TeamWork
    {
        public bool Forward;

        [MethodImpl(HotPath.Options)]
        public override void RunPart(int part, int parts)
        {
            int first = layer.Features * part / parts, end = layer.Features * (part + 1) / parts;
            if (Forward) layer.ForwardPlanes(first, end);
            else layer.BackwardPlanes(first, end);
        }
    }

    [MethodImpl(HotPath.Options)]
    private void ForwardPlanes(int first, int end)
    {
        var pass = _planes;
        ReadOnlySpan<T> x = pass.X.Span();
        Span<T> y = pass.Y!.Span();
        int batch = pass.Batch, spread = pass.Spread, count = batch * spread;
        Span<double> sums = RowScratch(0), squaresOf = RowScratch(1);
        if (pass.Training)
        {
            sums[first..end].Clear();
            PlaneSums.Add(x, batch, Features, spread, first, end, sums, LanesOf(first, end));
            for (int c = first; c < end; c++) _mean[c] = sums[c] / count;
            squaresOf[first..end].Clear();
            PlaneSums.AddSquaredDeviations(x, batch, Features, spread, first, end, _mean, squaresOf, LanesOf(first, end));
        }
        double weight = pass.Weight;
        for (int c = first; c < end; c++)
        {
            if (pass.Training)
            {
                double mean = _mean[c], squares = squaresOf[c];
                double variance = squares / count;
                _inverseDeviation[c] = 1 / Math.Sqrt(variance + Epsilon);
                _runningMean[c] = T.CreateTruncating((1 - weight) * double.CreateTruncating(_runningMean[c]) + weight * mean);
                _runningVariance[c] = T.CreateTruncating((1 - weight) * double.CreateTruncating(_runningVariance[c]) + weight * squares / (count - 1));
            }
            else
            {
                _mean[c] = double.CreateTruncating(_runningMean[c]);
                _inverseDeviation[c] = 1 / Math.Sqrt(double.CreateTruncating(_runningVariance[c]) + Epsilon);
            }
        }
        Span<double> scaleOf = RowScratch(2), shiftOf = RowScratch(3);
        for (int c = first; c < end; c++)
            (scaleOf[c], shiftOf[c]) = (Gamma(c) * _inverseDeviation[c], Affine ? double.CreateTruncating(Bias!.ValueSpan[c]) : 0);
        if (PlaneSums.IsShort(spread))
        {
            // Short planes (PlaneSums.IsShort: 2×2 and 3×3 maps): a sample's planes of these channels as one row, each
            // channel's factors spread over its positions; the same arithmetic on each value as the planes' loop below,
            // without a call for each plane.
            int width = (end - first) * spread;
            ReadOnlySpan<double> means = SpreadOver(0, first, end, spread, _mean), scales = SpreadOver(1, first, end, spread, scaleOf);
            ReadOnlySpan<double> shifts = SpreadOver(2, first, end, spread, shiftOf);
            for (int n = 0; n < batch; n++)
            {
                int start = (n * Features + first) * spread;
                var row = y.Slice(start, width);
                ChannelRows.Normalize(x.Slice(start, width), means, scales, shifts, row);
                if (pass.Rectify) Elementwise.ZeroUnlessPositive<T>(row, row, row);
            }
            return;
        }
        for (int n = 0; n < batch; n++)
            for (int c = first; c < end; c++)
            {
                int start = (n * Features + c) * spread;
                var plane = y.Slice(start, spread);
                ChannelRows.NormalizePlane(x.Slice(start, spread), _mean[c], scaleOf[c], shiftOf[c], plane);
                if (pass.Rectify) Elementwise.ZeroUnlessPositive<T>(plane, plane, plane);
            }
    }

    private double[] _spreadScratch = [];  // short planes' per-channel factors spread over their positions, five rows of C·spread

    // Row index of the spread scratch, channels first to end: each one's factor repeated over its plane's positions.
    [MethodImpl(HotPath.Options)]
    private Span<double> SpreadOver(int index, int first, int end, int spread, ReadOnlySpan<double> factors)
    {
        var row = _spreadScratch.AsSpan(index * Features * spread + first * spread, (end - first) * spread);
        for (int c = first; c < end; c++) row.Slice((c - first) * spread, spread).Fill(factors[c]);
        return row;
    }

    [MethodImpl(HotPath.Options)]
    private void BackwardPlanes(int first, int end)
    {
        var pass = _planes;
        ReadOnlySpan<T> x = pass.X.Span(), dy = pass.Dy!.Span();
        Span<T> dx = pass.Dx!.Span();
        int batch = pass.Batch, spread = pass.Spread;
        double count = batch * spread;
        Span<double> sumsOfDy = RowScratch(0), sumsOfDyXHat = RowScratch(1), scale = RowScratch(2), meanDy = RowScratch(3), meanDyXHat = RowScratch(4);
        Span<T> weightGradient = pass.WeightGradient, biasGradient = pass.BiasGradient;
        sumsOfDy[first..end].Clear();
        sumsOfDyXHat[first..end].Clear();
        PlaneSums.AddGradientSums(x, dy, batch, Features, spread, first, end, _mean, _inverseDeviation, sumsOfDy, sumsOfDyXHat, LanesOf(first, end));
        for (int c = first; c < end; c++)
        {
            if (Affine)
            {
                weightGradient[c] += T.CreateTruncating(sumsOfDyXHat[c]);
                biasGradient[c] += T.CreateTruncating(sumsOfDy[c]);
            }
            scale[c] = Gamma(c) * _inverseDeviation[c];
            (meanDy[c], meanDyXHat[c]) = pass.Training ? (sumsOfDy[c] / count, sumsOfDyXHat[c] / count) : (0, 0);
        }
        if (PlaneSums.IsShort(spread))
        {
            // Short planes: rows, as in ForwardPlanes.
            int width = (end - first) * spread;
            ReadOnlySpan<double> means = SpreadOver(0, first, end, spread, _mean), inverses = SpreadOver(1, first, end, spread, _inverseDeviation);
            ReadOnlySpan<double> scales = SpreadOver(2, first, end, spread, scale);
            ReadOnlySpan<double> meansOfDy = SpreadOver(3, first, end, spread, meanDy), meansOfDyXHat = SpreadOver(4, first, end, spread, meanDyXHat);
            for (int n = 0; n < batch; n++)
            {
                int start = (n * Features + first) * spread;
                ChannelRows.InputGradient(x.Slice(start, width), dy.Slice(start, width), means, inverses, scales, meansOfDy, meansOfDyXHat, dx.Slice(start, width));
            }
            return;
        }
        // Sample after sample, the core's channels of each along memory, as the sums above read them.
        for (int n = 0; n < batch; n++)
            for (int c = first; c < end; c++)
            {
                int start = (n * Features + c) * spread;
                ChannelRows.InputGradientOfPlane(x.Slice(start, spread), dy.Slice(start, spread), _mean[c], _inverseDeviation[c], scale[c], meanDy[c],
                    meanDyXHat[c], dx.Slice(start, spread));
            }
    }

    private double[] _laneScratch = [];  // the planes' sums' lanes (PlaneSums), each core's channels' share of them

    [MethodImpl(HotPath.Options)]
    private Span<double> LanesOf(int first, int end) =>
        _laneScratch.AsSpan(PlaneSums.LaneStorage(first), PlaneSums.LaneStorage(end - first));

    // One value per channel and sample ([N, C], BatchNorm1D's usual input): the same sums, in the same order for each channel
    // (sample after sample), as the planes' loops above, but taken row by row, every channel at once, along memory
    // (ChannelRows, two channels a vector); a channel's values lie a whole row apart, and gathering them one at a time cost
    // most of a small MLP's step.

    [MethodImpl(HotPath.Options)]
    private void ForwardRows(ReadOnlySpan<T> x, Span<T> y, int batch, bool training, double weight, bool rectify)
    {
        int features = Features;
        Span<double> mean = _mean, inverse = _inverseDeviation;
        if (training)
        {
            Span<double> sums = RowScratch(0), squares = RowScratch(1);
            sums.Clear();
            for (int n = 0; n < batch; n++) ChannelRows.Add(x.Slice(n * features, features), sums);
            for (int c = 0; c < features; c++) mean[c] = sums[c] / batch;
            squares.Clear();
            for (int n = 0; n < batch; n++) ChannelRows.AddSquaredDeviations(x.Slice(n * features, features), mean, squares);
            for (int c = 0; c < features; c++)
            {
                double variance = squares[c] / batch;
                inverse[c] = 1 / Math.Sqrt(variance + Epsilon);
                _runningMean[c] = T.CreateTruncating((1 - weight) * double.CreateTruncating(_runningMean[c]) + weight * mean[c]);
                _runningVariance[c] = T.CreateTruncating((1 - weight) * double.CreateTruncating(_runningVariance[c]) + weight * squares[c] / (batch - 1));
            }
        }
        else
        {
            for (int c = 0; c < features; c++)
            {
                mean[c] = double.CreateTruncating(_runningMean[c]);
                inverse[c] = 1 / Math.Sqrt(double.CreateTruncating(_runningVariance[c]) + Epsilon);
            }
        }
        Span<double> scale = RowScratch(2), shift = RowScratch(3);
        for (int c = 0; c < features; c++)
            (scale[c], shift[c]) = (Gamma(c) * inverse[c], Affine ? double.CreateTruncating(Bias!.ValueSpan[c]) : 0);
        for (int n = 0; n < batch; n++)
        {
            var row = y.Slice(n * features, features);
            ChannelRows.Normalize(x.Slice(n * features, features), mean, scale, shift, row);
            if (rectify) Elementwise.ZeroUnlessPositive<T>(row, row, row);   // the ReLU after this layer, as the planes' pass applies it
        }
    }

    [MethodImpl(HotPath.Options)]
    private void BackwardRows(ReadOnlySpan<T> x, ReadOnlySpan<T> dy, Span<T> dx, int batch)
    {
        int features = Features;
        Span<double> mean = _mean, inverse = _inverseDeviation;
        Span<double> sumDy = RowScratch(0), sumDyXHat = RowScratch(1), scale = RowScratch(2), meanDy = RowScratch(3), meanDyXHat = RowScratch(4);
        sumDy.Clear();
        sumDyXHat.Clear();
        for (int n = 0; n < batch; n++)
            ChannelRows.AddGradientSums(x.Slice(n * features, features), dy.Slice(n * features, features), mean, inverse, sumDy, sumDyXHat);
        for (int c = 0; c < features; c++)
        {
            if (Affine)
            {
                Weight!.GradientSpan[c] += T.CreateTruncating(sumDyXHat[c]);
                Bias!.GradientSpan[c] += T.CreateTruncating(sumDy[c]);
            }
            scale[c] = Gamma(c) * inverse[c];
            (meanDy[c], meanDyXHat[c]) = _trainingPass ? (sumDy[c] / batch, sumDyXHat[c] / batch) : (0, 0);
        }
        for (int n = 0; n < batch; n++)
        {
            int at = n * features;
            ChannelRows.InputGradient(x.Slice(at, features), dy.Slice(at, features), mean, inverse, scale, meanDy, meanDyXHat, dx.Slice(at, features));
        }
    }

    private double[] _rowScratch = [];  // ForwardRows' and BackwardRows' per-channel sums and factors, five rows of C

    [MethodImpl(HotPath.Options)]
    private Span<double> RowScratch(int index)
    {
        if (_rowScratch.Length < 5 * Features) _rowScratch = new double[5 * Features];
        return _rowScratch.AsSpan(index * Features, Features);
    }

    /// <inheritdoc/>
    public IReadOnlyList<int> OutputShape(IReadOnlyList<int> inputShape)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        if (!AcceptsRank(inputShape.Count) || inputShape[0] != Features)
            throw new ShapeMismatchException(ToString(), string.Create(CultureInfo.InvariantCulture, $"{SampleShapeText} with C = {Features}"), inputShape);
        return inputShape.ToArray();
    }

    /// <summary>A copy for thread-safe inference: shares γ, β and the running statistics (read-only), buffers of its own.</summary>
    public abstract ILayer<T>? CreateInferenceCopy();

    /// <summary>
    /// The kind, the settings and the running statistics (see the remarks on <see cref="BatchNorm{T}"/>). A null
    /// momentum leaves the setting <c>momentum</c> out and <see cref="Affine"/> false writes <c>affine</c> = 0, so that
    /// files written before either existed read as they always did.
    /// </summary>
    public LayerDescription Describe()
    {
        var settings = new Dictionary<string, double> { ["features"] = Features, ["epsilon"] = Epsilon, [BatchesTrackedSetting] = BatchesTracked };
        if (Momentum is { } momentum) settings["momentum"] = momentum;
        if (!Affine) settings["affine"] = 0;
        return new(Kind, settings)
        {
            TextSettings = new Dictionary<string, string>
            {
                [RunningMeanSetting] = Encode(_runningMean), [RunningVarianceSetting] = Encode(_runningVariance),
            },
        };
    }

    /// <summary>The text setting that holds the running mean.</summary>
    public const string RunningMeanSetting = "runningMean";

    /// <summary>The text setting that holds the running variance.</summary>
    public const string RunningVarianceSetting = "runningVar";

    /// <summary>The setting that holds <see cref="BatchesTracked"/> (absent in files written before it existed: 0).</summary>
    public const string BatchesTrackedSetting = "batchesTracked";

    /// <summary>Decodes a running statistic written by <see cref="Describe"/>; null when the text is not exactly <paramref name="features"/> float64s in base64.</summary>
    internal static double[]? Decode(string text, int features)
    {
        // Base64 of 8·C bytes has exactly this length; checking it first keeps a hostile file from costing more than its size.
        if (text.Length != (8L * features + 2) / 3 * 4) return null;
        var bytes = new byte[8 * features];
        if (!Convert.TryFromBase64String(text, bytes, out int written) || written != bytes.Length) return null;
        var values = new double[features];
        for (int c = 0; c < features; c++) values[c] = BinaryPrimitives.ReadDoubleLittleEndian(bytes.AsSpan(8 * c));
        return values;
    }

    private static string Encode(T[] values)
    {
        var bytes = new byte[8 * values.Length];
        for (int c = 0; c < values.Length; c++) BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(8 * c), double.CreateTruncating(values[c]));
        return Convert.ToBase64String(bytes);
    }

    /// <summary>Prints like <c>BatchNorm2D(features=16, momentum=0.1, epsilon=1E-05)</c>, without the statistics; <c>momentum=null</c> for the cumulative average, <c>affine=false</c> when so.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Kind}(features={Features}, momentum={(Momentum is { } m ? m.ToString(CultureInfo.InvariantCulture) : "null")}, epsilon={Epsilon}{(Affine ? "" : ", affine=false")})");

    [MethodImpl(HotPath.Options)]
    private double Gamma(int c) => Affine ? double.CreateTruncating(Weight!.ValueSpan[c]) : 1;

    [MethodImpl(HotPath.Options)]
    private int Spread(Tensor<T> input) => (int)(input.FlattenedLength / Math.Max(1, input.Lengths[0]) / Features);

}
