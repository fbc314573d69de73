using System.Globalization;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using NeuralNets.Kernels;
using NeuralNets.Tensors;

namespace NeuralNets.Layers;

/// <summary>
/// Layer normalisation, as PyTorch's <c>nn.LayerNorm(normalized_shape, eps, elementwise_affine)</c>: each sample is
/// normalised over its last axes, those of <see cref="NormalizedShape"/> (<c>[features]</c> for <c>[N, features]</c>,
/// <c>[C, H, W]</c> for images), <c>y = γ·(x − μ)/√(σ² + ε) + β</c>, where μ and σ² are the mean and the biased variance
/// of that sample's D values, and γ, β have one value per position of <see cref="NormalizedShape"/>.
/// </summary>
/// <remarks>
/// <para>With <see cref="ElementwiseAffine"/> (the default), γ (<c>weight</c>, ones) and β (<c>bias</c>, zeros), each of
/// shape <see cref="NormalizedShape"/>, are the <see cref="Parameters"/>, named as in PyTorch's <c>state_dict</c>; without,
/// there are none. There are no running statistics: training and inference compute the same thing.</para>
/// <para>The statistics and the sums of the backward pass are taken in double, each in a fixed order whatever the vector
/// width (<see cref="PlaneSums"/>: a sample is a plane), the cores taking whole samples; γ's and β's gradients sum over the
/// batch sample after sample, each position alone, the cores taking whole positions. So the bits are the same whatever
/// the thread count and the vector width.</para>
/// </remarks>
/// <typeparam name="T">The element type.</typeparam>
public sealed class LayerNorm<T> : ILayer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The name of the list setting that holds <see cref="NormalizedShape"/> in a layer's description.</summary>
    public const string NormalizedShapeSetting = "normalizedShape";

    private readonly int[] _shape;
    private readonly int _size;
    private readonly TensorBuffer<T> _output = new();
    private readonly TensorBuffer<T> _inputGradient = new();
    private Tensor<T>? _input;
    private double[] _mean = [], _inverseDeviation = [];   // per sample of the last forward pass
    private double[] _sums = [], _squares = [];           // per sample: Σx and Σ(x − μ)², then Σg and Σg·x̂
    private double[] _lanes = [];                          // PlaneSums' lanes, each core's samples' share
    private double[] _rows = [];                           // per core two rows of D: μ spread out, and γ/s (or s spread out)
    private double[] _affine = [];                         // γ and β as doubles, then Σdy·x̂ and Σdy per position
    private Job? _job;
    private Pass _pass;

    /// <summary>Creates the layer with γ = 1 and β = 0.</summary>
    /// <param name="normalizedShape">The trailing axes each sample is normalised over (PyTorch's <c>normalized_shape</c>), each length positive.</param>
    /// <param name="epsilon">Added to the variance before the square root; finite and positive.</param>
    /// <param name="elementwiseAffine">Whether γ and β are learnt parameters (PyTorch's <c>elementwise_affine</c>).</param>
    public LayerNorm(IReadOnlyList<int> normalizedShape, double epsilon = 1e-5, bool elementwiseAffine = true)
    {
        int size = SampleLengths.Count("LayerNorm", normalizedShape, nameof(normalizedShape));
        CheckEpsilon(epsilon);
        _shape = [.. normalizedShape];
        _size = size;
        Epsilon = epsilon;
        ElementwiseAffine = elementwiseAffine;
        (Weight, Bias, Parameters) = NormalizationAffine.Create<T>(elementwiseAffine, _shape);
    }

    /// <summary>Creates the layer over the last axis only, of <paramref name="features"/> values (PyTorch's <c>LayerNorm(features)</c>).</summary>
    /// <param name="features">The length of the last axis.</param>
    /// <param name="epsilon">Added to the variance before the square root; finite and positive.</param>
    /// <param name="elementwiseAffine">Whether γ and β are learnt parameters.</param>
    public LayerNorm(int features, double epsilon = 1e-5, bool elementwiseAffine = true) : this([features], epsilon, elementwiseAffine) { }

    // An inference copy: the same parameters, buffers of its own.
    private LayerNorm(LayerNorm<T> source)
    {
        (_shape, _size, Epsilon, ElementwiseAffine, Weight, Bias, Parameters) =
            (source._shape, source._size, source.Epsilon, source.ElementwiseAffine, source.Weight, source.Bias, source.Parameters);
    }

    /// <summary>Refuses an ε that is not finite and positive (the builder calls it, to fail at its call rather than at Build).</summary>
    internal static void CheckEpsilon(double epsilon)
    {
        if (!double.IsFinite(epsilon) || epsilon <= 0)
            throw new ArgumentOutOfRangeException(nameof(epsilon), string.Create(CultureInfo.InvariantCulture, $"LayerNorm epsilon must be finite and positive, but was {epsilon}."));
    }

    /// <summary>The trailing axes each sample is normalised over (PyTorch's <c>normalized_shape</c>).</summary>
    public IReadOnlyList<int> NormalizedShape => _shape;

    /// <summary>The ε added to the variance.</summary>
    public double Epsilon { get; }

    /// <summary>Whether γ and β are learnt parameters (PyTorch's <c>elementwise_affine</c>).</summary>
    public bool ElementwiseAffine { get; }

    /// <summary>γ, the scale per position (PyTorch's <c>weight</c>), of shape <see cref="NormalizedShape"/>; null without <see cref="ElementwiseAffine"/>.</summary>
    public Parameter<T>? Weight { get; }

    /// <summary>β, the shift per position (PyTorch's <c>bias</c>), of shape <see cref="NormalizedShape"/>; null without <see cref="ElementwiseAffine"/>.</summary>
    public Parameter<T>? Bias { get; }

    /// <inheritdoc/>
    public IReadOnlyList<Parameter<T>> Parameters { get; }

    /// <summary>A copy for thread-safe inference: the same γ and β, buffers of its own.</summary>
    public ILayer<T> CreateInferenceCopy() => new LayerNorm<T>(this);

    // μ = Σx/D, σ² = Σ(x − μ)²/D, s = 1/√(σ² + ε), x̂ = (x − μ)·s, y = γ·x̂ + β, per sample.
    /// <inheritdoc/>
    [MethodImpl(HotPath.Options)]
    public Tensor<T> Forward(Tensor<T> input, bool training)
    {
        ArgumentNullException.ThrowIfNull(input);
        int rows = Rows(input);
        _input = input;
        var output = _output.GetLike(input);
        if (rows == 0) return output;
        Grow(rows);
        if (ElementwiseAffine)
        {
            Span<double> gamma = _affine.AsSpan(0, _size), beta = _affine.AsSpan(_size, _size);
            ReadOnlySpan<T> weight = Weight!.ValueSpan, bias = Bias!.ValueSpan;
            for (int i = 0; i < _size; i++) (gamma[i], beta[i]) = (double.CreateTruncating(weight[i]), double.CreateTruncating(bias[i]));
        }
        Run(new Pass(Stage.Forward, input, output, null, null, rows), rows);
        return output;
    }

    // With g = γ·dy: dx = s·(g − Σg/D − x̂·Σ(g·x̂)/D) per sample; dγ = Σ dy·x̂ and dβ = Σ dy over the batch, per position.
    /// <inheritdoc/>
    [MethodImpl(HotPath.Options)]
    public Tensor<T> Backward(Tensor<T> outputGradient)
    {
        ArgumentNullException.ThrowIfNull(outputGradient);
        var input = _input ?? throw PassOrder.BackwardBeforeForward(this);
        if (!outputGradient.Lengths.SequenceEqual(input.Lengths))
            throw PassShapes.GradientNotLikeInput(this, input, outputGradient);
        int rows = Rows(input);
        var inputGradient = _inputGradient.GetLike(input);
        if (rows == 0) return inputGradient;
        if (ElementwiseAffine)
        {
            Run(new Pass(Stage.ParameterGradients, input, null, outputGradient, null, rows), _size);
            // Added here, on the calling thread: a gradient pending zero is cleared by its first reader.
            Span<T> weightGradient = Weight!.GradientSpan, biasGradient = Bias!.GradientSpan;
            ReadOnlySpan<double> sumsOfDyXHat = _affine.AsSpan(2 * _size, _size), sumsOfDy = _affine.AsSpan(3 * _size, _size);
            for (int i = 0; i < _size; i++)
            {
                weightGradient[i] += T.CreateTruncating(sumsOfDyXHat[i]);
                biasGradient[i] += T.CreateTruncating(sumsOfDy[i]);
            }
        }
        Run(new Pass(Stage.InputGradient, input, null, outputGradient, inputGradient, rows), rows);
        return inputGradient;
    }

    // The samples' (or positions') share of the cores; the work of each is independent of the others, so any cut gives the same bits.
    [MethodImpl(HotPath.Options)]
    private void Run(Pass pass, int units)
    {
        _pass = pass;
        var job = _job ??= new Job(this);
        int parts = Math.Min(Math.Min(units, WorkerTeam.MaxSize), ParallelRanges.PartsForRowsInPlace((long)pass.Rows * _size));
        if (_rows.Length < parts * 2 * _size) _rows = new double[parts * 2 * _size];
        try
        {
            if (parts > 1) WorkerTeam.Run(job, parts);
            else job.RunPart(0, 1);
        }
        finally
        {
            _pass = default;
        }
    }

    // The per-sample scratch, grown on the calling thread (grown by the parts, two could each replace it).
    private void Grow(int rows)
    {
        if (_mean.Length < rows) (_mean, _inverseDeviation, _sums, _squares) = (new double[rows], new double[rows], new double[rows], new double[rows]);
        if (_lanes.Length < PlaneSums.LaneStorage(rows)) _lanes = new double[PlaneSums.LaneStorage(rows)];
        if (ElementwiseAffine && _affine.Length < 4 * _size) _affine = new double[4 * _size];
    }

    private enum Stage { Forward, ParameterGradients, InputGradient }

    private readonly record struct Pass(Stage Stage, Tensor<T> X, Tensor<T>? Y, Tensor<T>? Dy, Tensor<T>? Dx, int Rows)
    {
        // Numbers written in the invariant culture (RecordText), not the current one as the generated member list would.
        private bool PrintMembers(System.Text.StringBuilder builder) => RecordText.PrintMembers(this, builder);
    }

    private sealed class Job(LayerNorm<T> layer) : TeamWork
    {
        [MethodImpl(HotPath.Options)]
        public override void RunPart(int part, int parts)
        {
            var pass = layer._pass;
            int units = pass.Stage == Stage.ParameterGradients ? layer._size : pass.Rows;
            int first = (int)((long)units * part / parts), end = (int)((long)units * (part + 1) / parts);
            var rows = layer._rows.AsSpan(part * 2 * layer._size, 2 * layer._size);
            switch (pass.Stage)
            {
                case Stage.Forward: layer.ForwardSamples(pass, first, end, rows); break;
                case Stage.ParameterGradients: layer.ParameterGradientPositions(pass, first, end); break;
                default: layer.InputGradientSamples(pass, first, end); break;
            }
        }
    }

    [MethodImpl(HotPath.Options)]
    private Span<double> LanesOf(int first, int end) => _lanes.AsSpan(PlaneSums.LaneStorage(first), PlaneSums.LaneStorage(end - first));

    [MethodImpl(HotPath.Options)]
    private void ForwardSamples(Pass pass, int first, int end, Span<double> rows)
    {
        ReadOnlySpan<T> x = pass.X.Span();
        Span<T> y = pass.Y!.Span();
        int size = _size, count = pass.Rows;
        Span<double> mean = _mean, inverse = _inverseDeviation, sums = _sums, squares = _squares;
        // A sample is one plane of D values: PlaneSums' "channels" are the samples.
        sums[first..end].Clear();
        PlaneSums.Add(x, 1, count, size, first, end, sums, LanesOf(first, end));
        for (int n = first; n < end; n++) mean[n] = sums[n] / size;
        squares[first..end].Clear();
        PlaneSums.AddSquaredDeviations(x, 1, count, size, first, end, mean, squares, LanesOf(first, end));
        for (int n = first; n < end; n++) inverse[n] = 1 / Math.Sqrt(squares[n] / size + Epsilon);
        Span<double> means = rows[..size], scales = rows[size..];
        ReadOnlySpan<double> gamma = ElementwiseAffine ? _affine.AsSpan(0, size) : default, beta = ElementwiseAffine ? _affine.AsSpan(size, size) : default;
        for (int n = first; n < end; n++)
        {
            var sample = x.Slice(n * size, size);
            var target = y.Slice(n * size, size);
            if (!ElementwiseAffine)
            {
                ChannelRows.NormalizePlane(sample, mean[n], inverse[n], 0, target);
                continue;
            }
            // y = (x − μ)·(γ·s) + β, each position its own factor.
            means.Fill(mean[n]);
            TensorPrimitives.Multiply(gamma, inverse[n], scales);
            ChannelRows.Normalize(sample, means, scales, beta, target);
        }
    }

    // dγ and dβ for positions first to end: each position's sums go sample after sample (ChannelRows' chains, two positions a vector).
    [MethodImpl(HotPath.Options)]
    private void ParameterGradientPositions(Pass pass, int first, int end)
    {
        ReadOnlySpan<T> x = pass.X.Span(), dy = pass.Dy!.Span();
        int size = _size, width = end - first;
        Span<double> sumsOfDyXHat = _affine.AsSpan(2 * size + first, width), sumsOfDy = _affine.AsSpan(3 * size + first, width);
        sumsOfDyXHat.Clear();
        sumsOfDy.Clear();
        // The rows' scratch of part 0 spread out over the positions, each part its own positions of it.
        Span<double> means = _rows.AsSpan(first, width), inverses = _rows.AsSpan(size + first, width);
        for (int n = 0; n < pass.Rows; n++)
        {
            means.Fill(_mean[n]);
            inverses.Fill(_inverseDeviation[n]);
            int start = n * size + first;
            ChannelRows.AddGradientSums(x.Slice(start, width), dy.Slice(start, width), means, inverses, sumsOfDy, sumsOfDyXHat);
        }
    }

    [MethodImpl(HotPath.Options)]
    private void InputGradientSamples(Pass pass, int first, int end)
    {
        ReadOnlySpan<T> x = pass.X.Span(), dy = pass.Dy!.Span();
        Span<T> dx = pass.Dx!.Span();
        int size = _size, count = pass.Rows;
        // g = γ·dy, written into dx first and rewritten there by the input gradient (for floats, g is rounded to float once).
        ReadOnlySpan<T> g = dy;
        if (ElementwiseAffine)
        {
            ReadOnlySpan<T> gamma = Weight!.ValueSpan;
            for (int n = first; n < end; n++) TensorPrimitives.Multiply(dy.Slice(n * size, size), gamma, dx.Slice(n * size, size));
            g = dx;
        }
        Span<double> sumsOfG = _sums, sumsOfGXHat = _squares;
        sumsOfG[first..end].Clear();
        sumsOfGXHat[first..end].Clear();
        PlaneSums.AddGradientSums(x, g, 1, count, size, first, end, _mean, _inverseDeviation, sumsOfG, sumsOfGXHat, LanesOf(first, end));
        for (int n = first; n < end; n++)
        {
            int start = n * size;
            double inverse = _inverseDeviation[n];
            ChannelRows.InputGradientOfPlane(x.Slice(start, size), g.Slice(start, size), _mean[n], inverse, inverse, sumsOfG[n] / size, sumsOfGXHat[n] / size,
                dx.Slice(start, size));
        }
    }

    // The number of samples (rows of D values): every axis before the normalised ones counts, as in PyTorch. Checks the input fits.
    [MethodImpl(HotPath.Options)]
    private int Rows(Tensor<T> input)
    {
        var lengths = input.Lengths;
        int rank = _shape.Length;
        if (lengths.Length < rank + 1) throw InputDoesNotFit(input);
        for (int i = 0; i < rank; i++)
            if (lengths[lengths.Length - rank + i] != _shape[i]) throw InputDoesNotFit(input);
        return (int)(input.FlattenedLength / _size);
    }

    // Built apart, so that the forward pass, compiled fully optimised (HotPath), does not carry its formatting.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private ShapeMismatchException InputDoesNotFit(Tensor<T> input) =>
        new(ToString(), "[N, ..., " + ShapeMismatchException.Format(_shape)[1..], input.Shape());

    /// <inheritdoc/>
    public IReadOnlyList<int> OutputShape(IReadOnlyList<int> inputShape)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        int rank = _shape.Length;
        bool fits = inputShape.Count >= rank;
        for (int i = 0; fits && i < rank; i++) fits = inputShape[inputShape.Count - rank + i] == _shape[i];
        if (!fits) throw new ShapeMismatchException(ToString(), "[..., " + ShapeMismatchException.Format(_shape)[1..], inputShape);
        return inputShape.ToArray();
    }

    /// <summary>The kind <c>LayerNorm</c>, ε, and the normalised shape; <see cref="ElementwiseAffine"/> false writes <c>affine</c> = 0.</summary>
    public LayerDescription Describe()
    {
        var settings = new Dictionary<string, double> { ["epsilon"] = Epsilon };
        if (!ElementwiseAffine) settings["affine"] = 0;
        return new("LayerNorm", settings) { ListSettings = new Dictionary<string, IReadOnlyList<int>> { [NormalizedShapeSetting] = _shape } };
    }

    /// <summary>Prints like PyTorch: <c>LayerNorm([16, 8, 8], eps=1E-05, elementwise_affine=True)</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"LayerNorm({ShapeMismatchException.Format(_shape)}, eps={Epsilon}, elementwise_affine={(ElementwiseAffine ? "True" : "False")})");
}
