using System.Globalization;

namespace NeuralNets.Training;

/// <summary>Progress within an epoch, reported after every batch through <see cref="IProgress{T}"/>; a value, so reporting allocates nothing.</summary>
/// <param name="Epoch">The epoch, 1-based.</param>
/// <param name="Epochs">The number of epochs asked for.</param>
/// <param name="Batch">The batch just finished, 1-based within the epoch.</param>
/// <param name="Batches">The batches of an epoch.</param>
/// <param name="Loss">The batch's loss (at the weights before its step).</param>
/// <param name="Elapsed">Time since the epoch started.</param>
public readonly record struct BatchReport(int Epoch, int Epochs, int Batch, int Batches, double Loss, TimeSpan Elapsed)
{
    /// <summary>The estimated time to the end of the epoch's batches, from the mean time per batch so far (validation not included).</summary>
    public TimeSpan Remaining => Batch <= 0 ? TimeSpan.Zero : Elapsed * ((double)(Batches - Batch) / Batch);

    /// <summary>One line such as <c>epoch 2/10  batch 120/938  loss 0.4121  ETA 0:00:12</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"epoch {Epoch}/{Epochs}  batch {Batch}/{Batches}  loss {Loss:F4}  ETA {Remaining.ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture)}");
}
