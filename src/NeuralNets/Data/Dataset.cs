using System.Globalization;
using System.Numerics;
using System.Numerics.Tensors;
using MathNet.Numerics.LinearAlgebra;
using NeuralNets.Kernels;
using NeuralNets.Losses;
using NeuralNets.Tensors;

namespace NeuralNets.Data;

/// <summary>
/// Samples and their targets, batch first: features <c>[N, ...sampleShape]</c> and targets either
/// class indices <c>[N]</c> (for <see cref="SoftmaxCrossEntropy{T}"/>) or values <c>[N, ...]</c>.
/// Construction checks that the set is not empty, the counts agree and every feature is finite.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
public sealed class Dataset<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[] _features;
    private readonly T[] _targets;
    private readonly int[] _sampleShape;
    private readonly int[] _targetShape;

    /// <summary>Creates a dataset over copies of <paramref name="features"/> and <paramref name="targets"/>.</summary>
    /// <param name="features">Shape <c>[N, ...sampleShape]</c>.</param>
    /// <param name="targets">Shape <c>[N]</c> (class indices or one value per sample) or <c>[N, ...]</c>.</param>
    /// <param name="classCount">When targets are class indices, the number of classes; null for regression targets.</param>
    public Dataset(Tensor<T> features, Tensor<T> targets, int? classCount = null)
        : this(CopyOf(features, nameof(features)), features.Shape(), CopyOf(targets, nameof(targets)), targets.Shape(), classCount)
    {
    }

    // Takes the arrays as they are: the public constructor passes copies, and the library's own loaders
    // and subsets pass arrays they have just filled, so that a 188 MB training set is not held twice.
    private Dataset(T[] features, int[] featureShape, T[] targets, int[] targetShape, int? classCount)
    {
        if (featureShape.Length < 2)
            throw new ArgumentException($"Features must have shape [N, ...sampleShape] (rank 2 or more) but have shape {TensorMemory.ShapeText(featureShape)}.", nameof(features));
        int count = featureShape[0];
        if (count == 0) throw new ArgumentException("The dataset is empty: features have 0 samples.", nameof(features));
        if (targetShape.Length < 1 || targetShape[0] != count)
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Features hold {count} samples but targets have shape {TensorMemory.ShapeText(targetShape)}; the first length of both must be the sample count."), nameof(targets));
        // Private copies behind read-only views: a caller who changes the arrays it passed, or casts the
        // views back, cannot change what the dataset says its shapes are.
        _sampleShape = featureShape[1..];
        _targetShape = targetShape[1..];
        SampleShape = Array.AsReadOnly(_sampleShape);
        TargetShape = Array.AsReadOnly(_targetShape);
        SampleSize = features.Length / count;
        TargetSize = targets.Length / count;
        _features = features;
        _targets = targets;
        TensorMemory.ThrowIfNotFinite<T>(_features, "Features", SampleSize);
        TensorMemory.ThrowIfNotFinite<T>(_targets, "Targets", TargetSize);
        // Data is made before the training that reads it: the first dataset of its element type starts compiling the
        // matrix-product kernels on another core.
        KernelWarmUp.Start<T>();
        if (classCount is int classes)
        {
            ArgumentRange.ThrowIfLessThan(classes, 2, nameof(classCount));
            if (TargetSize != 1) throw new ArgumentException($"Class labels must be one per sample, but targets have shape {TensorMemory.ShapeText(targetShape)}.", nameof(targets));
            for (int i = 0; i < _targets.Length; i++)
            {
                T label = _targets[i];
                if (!T.IsInteger(label) || label < T.Zero || label >= T.CreateChecked(classes))
                    throw new ArgumentOutOfRangeException(nameof(targets), FormattableString.Invariant($"Label {label} of sample {i} is outside the class range [0, {classes})."));
            }
            ClassCount = classes;
        }
        Count = count;
        Features = TensorMemory.Wrap(_features, [count, .. _sampleShape]);
        Targets = TensorMemory.Wrap(_targets, [count, .. _targetShape]);
    }

    // Evaluated before the tensor's shape is read, so a null argument is reported by name.
    private static T[] CopyOf(Tensor<T> tensor, string name)
    {
        ArgumentNullException.ThrowIfNull(tensor, name);
        return tensor.Span().ToArray();
    }

    /// <summary>Number of samples.</summary>
    public int Count { get; }

    /// <summary>The shape of one sample, e.g. <c>[1, 28, 28]</c> (read-only).</summary>
    public IReadOnlyList<int> SampleShape { get; }

    /// <summary>The shape of one target: empty for class indices or scalar targets (read-only).</summary>
    public IReadOnlyList<int> TargetShape { get; }

    /// <summary>The shape of one sample, for buffers sized without allocating.</summary>
    internal ReadOnlySpan<int> SampleShapeSpan => _sampleShape;

    /// <summary>The shape of one target, for buffers sized without allocating.</summary>
    internal ReadOnlySpan<int> TargetShapeSpan => _targetShape;

    /// <summary>Elements per sample.</summary>
    public int SampleSize { get; }

    /// <summary>Elements per target.</summary>
    public int TargetSize { get; }

    /// <summary>The number of classes when targets are class indices; otherwise null.</summary>
    public int? ClassCount { get; }

    /// <summary>All features, <c>[N, ...sampleShape]</c> (owned by the dataset: do not modify).</summary>
    public Tensor<T> Features { get; }

    /// <summary>All targets, <c>[N, ...targetShape]</c> (owned by the dataset: do not modify).</summary>
    public Tensor<T> Targets { get; }

    internal ReadOnlySpan<T> FeatureSpan => _features;
    internal ReadOnlySpan<T> TargetSpan => _targets;

    /// <summary>A classification set from features and integer labels in [0, <paramref name="classCount"/>).</summary>
    public static Dataset<T> FromLabels(Tensor<T> features, ReadOnlySpan<int> labels, int classCount) =>
        FromOwnedFeatures(CopyOf(features, nameof(features)), features.Shape(), labels, classCount);

    /// <summary>
    /// A classification set that keeps <paramref name="features"/> itself instead of copying it: for arrays
    /// the library has just filled (a file loader, synthetic data, stacked rows), which nothing else holds.
    /// </summary>
    internal static Dataset<T> FromOwnedFeatures(T[] features, int[] featureShape, ReadOnlySpan<int> labels, int classCount)
    {
        var targets = new T[labels.Length];
        for (int i = 0; i < labels.Length; i++) targets[i] = T.CreateChecked(labels[i]);
        return new Dataset<T>(features, featureShape, targets, [labels.Length], classCount);
    }

    /// <summary>A classification set from one array per sample and integer labels.</summary>
    public static Dataset<T> FromLabels(T[][] features, int[] labels, int classCount) =>
        FromOwned(StackRows(features, nameof(features)), labels, classCount);

    /// <summary>A classification set from a MathNet matrix (rows are samples) and integer labels.</summary>
    public static Dataset<T> FromLabels(Matrix<T> features, int[] labels, int classCount) =>
        FromOwned(FromMatrix(features), labels, classCount);

    /// <summary>A regression set from one array per sample and one target array per sample.</summary>
    public static Dataset<T> FromArrays(T[][] features, T[][] targets) =>
        Owned(StackRows(features, nameof(features)), StackRows(targets, nameof(targets)));

    /// <summary>A regression set from MathNet matrices (rows are samples).</summary>
    public static Dataset<T> FromMatrices(Matrix<T> features, Matrix<T> targets) =>
        Owned(FromMatrix(features), FromMatrix(targets));

    /// <summary>The samples at <paramref name="indices"/>, copied, in that order.</summary>
    public Dataset<T> Subset(ReadOnlySpan<int> indices)
    {
        if (indices.Length == 0) throw new ArgumentException("A subset needs at least one index: the dataset would be empty.", nameof(indices));
        var features = new T[indices.Length * SampleSize];
        var targets = new T[indices.Length * TargetSize];
        CopyRows(indices, features, targets);
        return new Dataset<T>(features, [indices.Length, .. _sampleShape], targets, [indices.Length, .. _targetShape], ClassCount);
    }

    /// <summary>The first <paramref name="count"/> samples, copied.</summary>
    public Dataset<T> Take(int count)
    {
        ArgumentRange.ThrowIfNegativeOrZero(count);
        ArgumentRange.ThrowIfGreaterThan(count, Count);
        var indices = new int[count];
        for (int i = 0; i < count; i++) indices[i] = i;
        return Subset(indices);
    }

    /// <summary>Shuffles with <paramref name="seed"/> and splits off a validation part.</summary>
    /// <param name="validationFraction">The share of samples for validation, in (0, 1).</param>
    /// <param name="seed">The shuffle's seed.</param>
    public (Dataset<T> Train, Dataset<T> Validation) Split(double validationFraction, int seed)
    {
        var (order, validationCount) = ShuffledSplit.Order(Count, validationFraction, seed, "validation", nameof(validationFraction), "samples");
        return (Subset(order.AsSpan(validationCount)), Subset(order.AsSpan(0, validationCount)));
    }

    /// <summary>Copies the rows at <paramref name="indices"/> into the two destinations, back to back.</summary>
    internal void CopyRows(ReadOnlySpan<int> indices, Span<T> features, Span<T> targets)
    {
        for (int i = 0; i < indices.Length; i++)
        {
            int row = indices[i];
            _features.AsSpan(row * SampleSize, SampleSize).CopyTo(features.Slice(i * SampleSize, SampleSize));
            _targets.AsSpan(row * TargetSize, TargetSize).CopyTo(targets.Slice(i * TargetSize, TargetSize));
        }
    }

    /// <summary>
    /// Copies the <paramref name="count"/> rows at <c>order[first..]</c> into the two destinations, back to back, as
    /// <see cref="CopyRows(ReadOnlySpan{int}, Span{T}, Span{T})"/> does, with the features split across the team from a few thousand values: rows drawn at random
    /// from a dataset larger than the caches wait on memory at each row's start, and two cores keep twice as many reads in
    /// flight (a shuffled batch of 64 MNIST images, measured in benchmarks/README.md).
    /// </summary>
    /// <param name="order">Sample indices; the batch is <paramref name="count"/> of them from <paramref name="first"/> on.</param>
    /// <param name="first">Where the batch starts in <paramref name="order"/>.</param>
    /// <param name="count">Samples in the batch.</param>
    /// <param name="features">The batch's features, <paramref name="count"/> rows of <see cref="SampleSize"/>.</param>
    /// <param name="targets">The batch's targets, <paramref name="count"/> rows of <see cref="TargetSize"/>.</param>
    /// <param name="parts">Ranges to cut the features into; 0: the rule above (tests cut more to reach every boundary).</param>
    internal void GatherRows(int[] order, int first, int count, Tensor<T> features, Tensor<T> targets, int parts = 0)
    {
        var indices = order.AsSpan(first, count);
        var targetSpan = targets.Span();
        for (int i = 0; i < count; i++)
            _targets.AsSpan(indices[i] * TargetSize, TargetSize).CopyTo(targetSpan.Slice(i * TargetSize, TargetSize));
        long length = (long)count * SampleSize;
        if (parts == 0) parts = count > 1 ? ParallelRanges.PartsForRowsInPlace(length) : 1;
        ParallelRanges.Run(new RowGather(_features, order, first, SampleSize, features), (int)length, parts);
    }

    /// <summary>Elements [start, start + length) of the gathered features: the parts of the rows they fall in.</summary>
    private readonly struct RowGather(T[] source, int[] order, int first, int sampleSize, Tensor<T> destination) : IRangeOperation
    {
        public void Run(int start, int length)
        {
            var target = destination.Span();
            for (int end = start + length, e = start; e < end;)
            {
                int i = e / sampleSize, offset = e - i * sampleSize, n = Math.Min(sampleSize - offset, end - e);
                source.AsSpan(order[first + i] * sampleSize + offset, n).CopyTo(target.Slice(e, n));
                e += n;
            }
        }
    }

    private static Dataset<T> FromOwned((T[] Data, int[] Shape) features, int[] labels, int classCount)
    {
        ArgumentNullException.ThrowIfNull(labels);
        return FromOwnedFeatures(features.Data, features.Shape, labels, classCount);
    }

    private static Dataset<T> Owned((T[] Data, int[] Shape) features, (T[] Data, int[] Shape) targets) =>
        new(features.Data, features.Shape, targets.Data, targets.Shape, classCount: null);

    private static (T[] Data, int[] Shape) StackRows(T[][] rows, string name)
    {
        ArgumentNullException.ThrowIfNull(rows, name);
        if (rows.Length == 0) throw new ArgumentException("The dataset is empty: no rows were given.", name);
        int width = rows[0]?.Length ?? throw new ArgumentNullException(name, "Row 0 is null.");
        var data = new T[rows.Length * width];
        for (int i = 0; i < rows.Length; i++)
        {
            var row = rows[i] ?? throw new ArgumentNullException(name, string.Create(CultureInfo.InvariantCulture, $"Row {i} is null."));
            if (row.Length != width) throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Row {i} has {row.Length} values but row 0 has {width}: all rows must have the same length."), name);
            row.CopyTo(data, i * width);
        }
        return (data, [rows.Length, width]);
    }

    private static (T[] Data, int[] Shape) FromMatrix(Matrix<T> matrix)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        return (matrix.ToRowMajorArray(), [matrix.RowCount, matrix.ColumnCount]);
    }
}
