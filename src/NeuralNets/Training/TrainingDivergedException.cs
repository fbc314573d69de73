namespace NeuralNets.Training;

/// <summary>
/// Thrown when the loss becomes NaN or infinite. The network keeps the weights of the last step
/// whose loss was finite (when <see cref="TrainingOptions.KeepLastGoodWeights"/> is on).
/// </summary>
public sealed class TrainingDivergedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TrainingDivergedException(int epoch, int batch, double loss, bool weightsRestored)
        : base(System.FormattableString.Invariant(
            $"Training diverged: the loss was {loss} at epoch {epoch}, batch {batch}. ") +
            (weightsRestored ? "The weights were restored to those of the last step with a finite loss; try a smaller learning rate."
                             : "The weights are those of the failing step; try a smaller learning rate."))
    {
        Epoch = epoch;
        Batch = batch;
        Loss = loss;
        WeightsRestored = weightsRestored;
    }

    /// <summary>The epoch (1-based) in which the loss stopped being finite.</summary>
    public int Epoch { get; }

    /// <summary>The batch (1-based, within the epoch) in which it happened.</summary>
    public int Batch { get; }

    /// <summary>The non-finite loss.</summary>
    public double Loss { get; }

    /// <summary>Whether the last good weights were put back.</summary>
    public bool WeightsRestored { get; }
}
