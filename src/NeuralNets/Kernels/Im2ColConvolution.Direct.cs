using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using NeuralNets.Tensors;

namespace NeuralNets.Kernels;

/// <summary>The forward pass without unfolding (<see cref="DirectConvolution"/>), where it gives the unfolded path's bits.</summary>
internal sealed partial class Im2ColConvolution<T>
{
    private readonly DirectJob? _directJob;
    private float[] _arrangedWeights = [];
    private int[] _tapOffsets = [];
    private int _kBlock, _bands, _paddedLength;
    private bool _directGradients;

    /// <summary>
    /// Whether the passes may skip unfolding and scattering: the direct forward pass and the gathering fold (the same bits as
    /// the unfolded path) and the direct weight gradient (its own arithmetic). Tests turn it off to compare.
    /// </summary>
    public bool AllowDirect { get; set; } = true;

    private readonly CalibratedChoice _forwardChoice = new(), _foldChoice = new();
    private bool _gatherFold;

    /// <summary>
    /// Tests: always (true) or never (false) the direct forward pass and the gathered fold where they apply; null (the
    /// default): whichever this machine runs faster for the shape (<see cref="CalibratedChoice"/>).
    /// </summary>
    public bool? ForcedChoice
    {
        get => _forwardChoice.Forced;
        set => (_forwardChoice.Forced, _foldChoice.Forced) = (value, value);
    }

    /// <summary>What the calibrated choices are kept per: the batch and the image size (the layer fixes the rest).</summary>
    private long ShapeKey { [MethodImpl(HotPath.Options)] get => ((long)_batch << 32) | ((long)_height << 16) | (uint)_width; }

    /// <summary>The choices made so far for the last pass's shape (null: still timing, or not applicable); for tests and benchmarks.</summary>
    public (bool? DirectForward, bool? GatheredFold, bool? DirectInputGradient) Choices => (_forwardChoice.Choice(ShapeKey), _foldChoice.Choice(ShapeKey), _inputGradientChoice.Choice(ShapeKey));

    /// <summary>
    /// Whether the forward pass can run directly for this shape: float, stride 1, and a product the packed kernel would
    /// run in one piece of k for every chunk of samples (so its k-blocks are all there is to reproduce).
    /// </summary>
    [MethodImpl(HotPath.Options)]
    private bool CanForwardDirect()
    {
        if (!AllowDirect || !DirectConvolution.Handles<T>(_window, _outChannels)) return false;
        int plane = _outH * _outW, lastChunk = _batch - (_chunks - 1) * _chunk;
        return OnePiece(_chunk * plane) && OnePiece(lastChunk * plane);
    }

    /// <summary>The forward pass computed directly (<see cref="CanForwardDirect"/> said it can be).</summary>
    [MethodImpl(HotPath.Options)]
    private void ForwardDirect()
    {
        int rows = ColumnRows, plane = _outH * _outW;
        _kBlock = KBlockOf(_chunk * plane);

        var weight = MemoryMarshal.Cast<T, float>(_weight.AsSpan());
        int arrangedLength = rows * DirectConvolution.RoundedChannels(_outChannels, _outW, rows);
        if (_arrangedWeights.Length < arrangedLength) _arrangedWeights = new float[arrangedLength];
        DirectConvolution.ArrangeWeights(weight, _outChannels, rows, _outW, _arrangedWeights);
        PreparePaddedImages();

        // Small passes stay on the calling thread; a batch smaller than the team is cut into bands of rows.
        long multiplyAdds = (long)_batch * _outChannels * plane * rows;
        int parts = multiplyAdds < MatrixMultiply.ParallelThreshold ? 1 : MaxParts == 0 ? WorkerTeam.Threads : MaxParts;
        _bands = Math.Clamp((parts + _batch - 1) / _batch, 1, _outH);
        int units = _batch * _bands;
        _parts = Math.Min(parts, units);
        EnsureScratch(_parts);
        try
        {
            _directJob!.Run(units);
        }
        finally
        {
            EndPass();
        }
    }

    // The packed product's plan for W·X̂ over a span of columns: only its shape is read.
    [MethodImpl(HotPath.Options)]
    private unsafe GemmProblem<T> ProductShape(int span) => new(null, false, null, false, null, _outChannels, span, ColumnRows, false);

    [MethodImpl(HotPath.Options)]
    private bool OnePiece(int span) => ProductShape(span).KPieces == 1;

    private int KBlockOf(int span) => ProductShape(span).KBlock;

    /// <summary>
    /// Decides how this backward pass's weight gradient is computed. A float stride-1 convolution takes it from
    /// <see cref="DirectConvolution"/>, whose arithmetic defines it at every width, the scalar loops included: with vectors
    /// across output channels from <see cref="DirectConvolution.MinimumGradientChannels"/> channels, across output
    /// positions below that (where channels would leave most lanes empty).
    /// </summary>
    [MethodImpl(HotPath.Options)]
    private void PrepareDirectBackward()
    {
        _directGradients = AllowDirect && typeof(T) == typeof(float) && _window.StrideH == 1 && _window.StrideW == 1;
        if (_directGradients) PreparePaddedImages();
    }

    /// <summary>Where every tap reads in a padded image of this pass's size, and how long that image is.</summary>
    [MethodImpl(HotPath.Options)]
    private void PreparePaddedImages()
    {
        if (_tapOffsets.Length != ColumnRows) _tapOffsets = new int[ColumnRows];
        DirectConvolution.TapOffsets(_inChannels, _height, _width, _window, _tapOffsets);
        _paddedLength = DirectConvolution.PaddedLength(_inChannels, _height, _width, _window, _outW);
    }

    /// <summary>
    /// One chunk's weight gradient straight from its padded images and its dY (see <see cref="DirectConvolution"/>), or
    /// (vectors across output channels only) its columns for input channels [<paramref name="firstChannel"/>,
    /// <paramref name="endChannel"/>).
    /// </summary>
    [MethodImpl(HotPath.Options)]
    private void DirectWeightGradient(Scratch scratch, int first, int count, Span<T> chunkWeight, int firstChannel, int endChannel)
    {
        if (_outChannels < DirectConvolution.MinimumGradientChannels)
        {
            // All of it, whatever the range: pieces of a chunk that overlapped here would write the same elements at once.
            if (firstChannel != 0 || endChannel != _inChannels)
                throw new InvalidOperationException("The few-channel weight gradient cannot be computed for a range of input channels.");
            WeightGradientAcrossPositions(scratch, first, count, chunkWeight);
            return;
        }
        PrepareDirectWeightGradient(scratch, first, count);
        int window = _window.KernelH * _window.KernelW, firstTap = firstChannel * window, taps = (endChannel - firstChannel) * window;
        DirectConvolution.WeightGradient(scratch.Padded, _paddedLength, _width + 2 * _window.PadW, _tapOffsets.AsSpan(firstTap, taps), scratch.GradientRows,
            _outChannels, count, _outH, _outW, MemoryMarshal.Cast<T, float>(chunkWeight)[firstTap..], ColumnRows, TileSums(scratch, taps));
    }

    /// <summary>The part's scratch for the direct weight gradient's tile sums over <paramref name="taps"/> taps, tap-major.</summary>
    [MethodImpl(HotPath.Options)]
    private Span<float> TileSums(Scratch scratch, int taps)
    {
        int length = DirectConvolution.TileSumsLength(taps, _outChannels);
        if (scratch.TileSums.Length < length) scratch.TileSums = new float[length];
        return scratch.TileSums.AsSpan(0, length);
    }

    /// <summary>A chunk's padded images and its dY position-major, as the direct weight gradient across output channels reads them.</summary>
    [MethodImpl(HotPath.Options)]
    private void PrepareDirectWeightGradient(Scratch scratch, int first, int count)
    {
        int imageSize = _inChannels * _height * _width, plane = _outH * _outW, outputSize = _outChannels * plane;
        int stride = DirectConvolution.ChannelStride(_outChannels);
        if (scratch.Padded.Length < count * _paddedLength) scratch.Padded = new float[count * _paddedLength];
        // On cache lines: each position's channel vectors are then whole lines, and no load straddles two (benchmarks/README.md).
        if (scratch.GradientRows.Count < count * plane * stride) scratch.GradientRows = AlignedArrays.Allocate<float>(count * plane * stride);
        var x = MemoryMarshal.Cast<T, float>(_input!.Span());
        var dy = MemoryMarshal.Cast<T, float>(_outputGradient!.Span());
        for (int n = 0; n < count; n++)
        {
            DirectConvolution.Pad(x.Slice((first + n) * imageSize, imageSize), _inChannels, _height, _width, _window,
                scratch.Padded.AsSpan(n * _paddedLength, _paddedLength));
            DirectConvolution.TransposeGradient(dy.Slice((first + n) * outputSize, outputSize), _outChannels, plane, stride,
                scratch.GradientRows.AsSpan(n * plane * stride, plane * stride));
        }
    }

    /// <summary>A few-channel chunk's weight gradient, vectors across output positions (DirectConvolution.PositionLanes.cs).</summary>
    [MethodImpl(HotPath.Options)]
    private void WeightGradientAcrossPositions(Scratch scratch, int first, int count, Span<T> chunkWeight)
    {
        int imageSize = _inChannels * _height * _width, outputSize = _outChannels * _outH * _outW, paddedWidth = _width + 2 * _window.PadW;
        int imageLength = DirectConvolution.SpreadImageLength(_inChannels, _height, _width, _window);
        int spreadLength = DirectConvolution.SpreadLength(_outH, paddedWidth), sampleSpread = _outChannels * spreadLength;
        // On cache lines: the kernel's loads of the spread rows then never straddle two (benchmarks/README.md).
        if (scratch.SpreadImages.Count < count * imageLength) scratch.SpreadImages = AlignedArrays.Allocate<float>(count * imageLength);
        if (scratch.SpreadRows.Count < count * sampleSpread) scratch.SpreadRows = AlignedArrays.Allocate<float>(count * sampleSpread);
        int laneSums = DirectConvolution.LaneSumsLength(_outChannels, ColumnRows);
        if (scratch.LaneSums.Length < laneSums) scratch.LaneSums = new float[laneSums];
        var x = MemoryMarshal.Cast<T, float>(_input!.Span());
        var dy = MemoryMarshal.Cast<T, float>(_outputGradient!.Span());
        for (int n = 0; n < count; n++)
        {
            DirectConvolution.Pad(x.Slice((first + n) * imageSize, imageSize), _inChannels, _height, _width, _window,
                scratch.SpreadImages.AsSpan(n * imageLength, imageLength));
            DirectConvolution.SpreadGradient(dy.Slice((first + n) * outputSize, outputSize), _outChannels, _outH, _outW, paddedWidth,
                scratch.SpreadRows.AsSpan(n * sampleSpread, sampleSpread));
        }
        DirectConvolution.WeightGradientAcrossPositions(scratch.SpreadImages, imageLength, _tapOffsets, scratch.SpreadRows, spreadLength,
            _outChannels, count, scratch.LaneSums, MemoryMarshal.Cast<T, float>(chunkWeight));
    }

    /// <summary>One band of output rows of one sample.</summary>
    [MethodImpl(HotPath.Options)]
    private void ForwardDirectUnit(int unit, int part)
    {
        var scratch = _scratch[part];
        int sample = unit / _bands, band = unit % _bands;
        int rowStart = (int)((long)_outH * band / _bands), rowEnd = (int)((long)_outH * (band + 1) / _bands);
        int imageSize = _inChannels * _height * _width, outputSize = _outChannels * _outH * _outW;
        if (scratch.Padded.Length < _paddedLength) scratch.Padded = new float[_paddedLength];
        var padded = scratch.Padded.AsSpan(0, _paddedLength);
        var x = MemoryMarshal.Cast<T, float>(_input!.Span()).Slice(sample * imageSize, imageSize);
        DirectConvolution.Pad(x, _inChannels, _height, _width, _window, padded);
        var y = MemoryMarshal.Cast<T, float>(_output!.Span()).Slice(sample * outputSize, outputSize);
        DirectConvolution.ForwardRows(padded, _width + 2 * _window.PadW, _tapOffsets, _arrangedWeights,
            MemoryMarshal.Cast<T, float>(_bias.AsSpan()), _outChannels, _kBlock, y, _outH, _outW, rowStart, rowEnd);
    }

    /// <summary>The direct forward pass over (sample, band) units, split across the team.</summary>
    private sealed class DirectJob(Im2ColConvolution<T> convolution) : UnitsWork
    {
        public void Run(int units) => RunUnits(units, convolution._parts);

        [MethodImpl(HotPath.Options)]
        protected override void RunUnit(int unit, int part) => convolution.ForwardDirectUnit(unit, part);
    }
}
