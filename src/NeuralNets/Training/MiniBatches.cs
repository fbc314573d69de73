using System.Globalization;
using System.Numerics;
using System.Numerics.Tensors;
using System.Text;
using NeuralNets.Data;
using NeuralNets.Tensors;

namespace NeuralNets.Training;

/// <summary>
/// Mini-batches over a <see cref="Dataset{T}"/>, epoch after epoch: in the dataset's order or shuffled by a seeded
/// generator, the last short batch kept or dropped. <see cref="Trainer{T}"/> draws its batches from it, and a
/// hand-written loop (a GAN, an attack on a test set) can do the same.
/// </summary>
/// <remarks>
/// <para>Epoch e's order is a permutation of the sample indices drawn afresh from a random stream keyed by (seed, e):
/// Fisher–Yates from the identity, <c>for i = n−1 … 1: swap(order[i], order[j])</c> with <c>j</c> uniform in [0, i].
/// The same seed gives the same batches, epoch for epoch, on every machine and whatever the thread count; and since
/// an epoch's order depends on nothing drawn before it, the iterator's whole random state is the number of epochs
/// started (<see cref="EpochsStarted"/>), which <see cref="StartAfter"/> restores when a run resumes from a checkpoint.</para>
/// <para>A batch's tensors are buffers the iterator reuses: they hold the batch until the next one is drawn, and an
/// epoch allocates nothing once a full batch and the last short one have been drawn once.</para>
/// </remarks>
/// <example><code>
/// var batches = new MiniBatches&lt;float&gt;(train, batchSize: 64, shuffle: true, seed: 1);
/// for (int epoch = 1; epoch &lt;= 5; epoch++)
///     foreach (var batch in batches.NextEpoch())
///         Step(batch.Features, batch.Targets);
/// </code></example>
/// <typeparam name="T">The element type.</typeparam>
public sealed class MiniBatches<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly int[] _order;
    private readonly TensorBuffer<T> _features = new();
    private readonly TensorBuffer<T> _targets = new();
    private int _epochsStarted;

    /// <summary>Creates the iterator; nothing is drawn until <see cref="NextEpoch"/>.</summary>
    /// <param name="data">The dataset.</param>
    /// <param name="batchSize">Samples per batch, at least 1; a size above the dataset's gives one batch of all samples (unless <paramref name="dropLast"/>).</param>
    /// <param name="shuffle">Whether every epoch draws the samples in a new random order. Default true.</param>
    /// <param name="seed">The seed of the shuffling. Default 0.</param>
    /// <param name="dropLast">Whether to leave out the last batch when it is short, so that every batch has <paramref name="batchSize"/> samples. Default false.</param>
    /// <exception cref="ArgumentException"><paramref name="dropLast"/> with a batch size above the number of samples would give no batch at all.</exception>
    public MiniBatches(Dataset<T> data, int batchSize, bool shuffle = true, int seed = 0, bool dropLast = false)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (batchSize <= 0) throw new ArgumentOutOfRangeException(nameof(batchSize), FormattableString.Invariant($"Batch size must be positive, but was {batchSize}."));
        if (dropLast && batchSize > data.Count)
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"A batch size of {batchSize} with dropLast leaves no batch of the {data.Count} samples; use a smaller batch size or keep the last batch."), nameof(batchSize));
        Data = data;
        BatchSize = batchSize;
        Shuffle = shuffle;
        Seed = seed;
        DropLast = dropLast;
        _order = new int[data.Count];
        for (int i = 0; i < _order.Length; i++) _order[i] = i;
        BatchesPerEpoch = dropLast ? data.Count / batchSize : (data.Count + batchSize - 1) / batchSize;
    }

    /// <summary>The dataset the batches come from.</summary>
    public Dataset<T> Data { get; }

    /// <summary>Samples per batch (the last batch of an epoch may hold fewer, unless <see cref="DropLast"/>).</summary>
    public int BatchSize { get; }

    /// <summary>Whether every epoch is shuffled.</summary>
    public bool Shuffle { get; }

    /// <summary>The seed of the shuffling.</summary>
    public int Seed { get; }

    /// <summary>Whether a short last batch is left out.</summary>
    public bool DropLast { get; }

    /// <summary>Batches in every epoch.</summary>
    public int BatchesPerEpoch { get; }

    /// <summary>Epochs started so far by <see cref="NextEpoch"/>.</summary>
    public int EpochsStarted => _epochsStarted;

    /// <summary>Starts the next epoch: shuffles the order (when shuffling) and returns its batches, to be enumerated once.</summary>
    public EpochBatches NextEpoch()
    {
        _epochsStarted++;
        if (Shuffle) DrawOrder(_epochsStarted);
        return new EpochBatches(this, _epochsStarted);
    }

    /// <summary>
    /// Places the iterator after <paramref name="epochs"/> epochs, as if <see cref="NextEpoch"/> had been called that many
    /// times: the next call draws the order of epoch <paramref name="epochs"/> + 1. A resumed run uses it to continue the
    /// shuffling of the run it continues.
    /// </summary>
    /// <param name="epochs">The epochs already started, at least 0.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="epochs"/> is negative.</exception>
    public void StartAfter(int epochs)
    {
        ArgumentRange.ThrowIfNegative(epochs);
        _epochsStarted = epochs;
    }

    // Fisher–Yates from the identity, so that the order of an epoch depends only on (seed, epoch).
    private void DrawOrder(int epoch)
    {
        for (int i = 0; i < _order.Length; i++) _order[i] = i;
        var random = new SampleRandom(Seed, epoch, ShuffleStream);
        for (int i = _order.Length - 1; i > 0; i--)
        {
            int j = random.NextInt(i + 1);
            (_order[i], _order[j]) = (_order[j], _order[i]);
        }
    }

    /// <summary>The stream key that sets the shuffle apart from the per-sample streams of augmentation (which are never negative).</summary>
    internal const long ShuffleStream = -1;

    /// <summary>Copies batch <paramref name="index"/> of the current epoch's order into the reused buffers.</summary>
    private MiniBatch<T> Load(int index)
    {
        int start = index * BatchSize, count = Math.Min(BatchSize, _order.Length - start);
        var indices = new ReadOnlyMemory<int>(_order, start, count);
        var features = _features.Get(count, Data.SampleShapeSpan);
        var targets = _targets.Get(count, Data.TargetShapeSpan);
        Data.GatherRows(_order, start, count, features, targets);
        return new MiniBatch<T>(index, features, targets, indices);
    }

    /// <summary>The batches of one epoch; <c>foreach</c> enumerates it without allocating (LINQ boxes it).</summary>
    public readonly struct EpochBatches : IEnumerable<MiniBatch<T>>
    {
        private readonly MiniBatches<T> _owner;
        private readonly int _epoch;

        internal EpochBatches(MiniBatches<T> owner, int epoch) => (_owner, _epoch) = (owner, epoch);

        /// <summary>The number of batches.</summary>
        public int Count => _owner.BatchesPerEpoch;

        /// <summary>Enumerates the batches, loading each as it is reached.</summary>
        public Enumerator GetEnumerator() => new(_owner, _epoch);

        IEnumerator<MiniBatch<T>> IEnumerable<MiniBatch<T>>.GetEnumerator() => GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }

    /// <summary>Loads each batch of an epoch into the iterator's buffers as it is reached.</summary>
    public struct Enumerator : IEnumerator<MiniBatch<T>>
    {
        private readonly MiniBatches<T> _owner;
        private readonly int _epoch;
        private int _index;

        internal Enumerator(MiniBatches<T> owner, int epoch) => (_owner, _epoch, _index, Current) = (owner, epoch, -1, default);

        /// <summary>The batch reached.</summary>
        public MiniBatch<T> Current { get; private set; }

        /// <summary>Loads the next batch; false after the last.</summary>
        /// <exception cref="InvalidOperationException">A later epoch was started: this one's order is gone.</exception>
        public bool MoveNext()
        {
            if (_owner._epochsStarted != _epoch)
                throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"Epoch {_epoch}'s batches were enumerated after epoch {_owner._epochsStarted} started; the order they came from has been reshuffled."));
            if (++_index >= _owner.BatchesPerEpoch) return false;
            Current = _owner.Load(_index);
            return true;
        }

        readonly object System.Collections.IEnumerator.Current => Current;

        /// <summary>Not supported: an epoch is enumerated once.</summary>
        public readonly void Reset() => throw new NotSupportedException("An epoch's batches are enumerated once; call NextEpoch for the next.");

        /// <summary>Nothing to release.</summary>
        public readonly void Dispose() { }
    }
}

/// <summary>One mini-batch: features and targets in buffers that hold it until the iterator draws the next batch.</summary>
/// <typeparam name="T">The element type.</typeparam>
/// <param name="Index">The batch's position in its epoch, 0-based.</param>
/// <param name="Features">The samples, <c>[count, ...sampleShape]</c>.</param>
/// <param name="Targets">Their targets, <c>[count, ...targetShape]</c>.</param>
/// <param name="SampleIndices">Which samples of the dataset the batch holds, in order.</param>
public readonly record struct MiniBatch<T>(int Index, Tensor<T> Features, Tensor<T> Targets, ReadOnlyMemory<int> SampleIndices)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The number of samples in the batch.</summary>
    public int Count => SampleIndices.Length;

    // Numbers written in the invariant culture (RecordText), not the current one as the generated member list would.
    private bool PrintMembers(StringBuilder builder) => RecordText.PrintMembers(this, builder);
}
