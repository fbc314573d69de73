using System.Globalization;

namespace NeuralNets.Training;

/// <summary>
/// Thrown when training diverges: the loss of a step (or on the validation set) is NaN or infinite, or a weight or a
/// BatchNorm layer's running statistic is after a step. The network keeps the weights, and the running statistics, of
/// the last step at which the weights, the statistics and the loss were all finite (when
/// <see cref="TrainingOptions.KeepLastGoodWeights"/> is on).
/// </summary>
public sealed class TrainingDivergedException : Exception
{
    /// <summary>Creates the exception with a generic message.</summary>
    public TrainingDivergedException() : base("Training diverged.") { }

    /// <summary>Creates the exception with <paramref name="message"/>.</summary>
    public TrainingDivergedException(string message) : base(message) { }

    /// <summary>Creates the exception with <paramref name="message"/> and the exception that caused it.</summary>
    public TrainingDivergedException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>Creates the exception for a loss that was not finite at <paramref name="epoch"/>, <paramref name="batch"/>.</summary>
    public TrainingDivergedException(int epoch, int batch, double loss, bool weightsRestored)
        : this(epoch, batch, loss, null, weightsRestored, "the loss was " + loss.ToString(CultureInfo.InvariantCulture)) { }

    /// <summary>Creates the exception for a parameter that held a non-finite value after the step of <paramref name="epoch"/>, <paramref name="batch"/>.</summary>
    public TrainingDivergedException(int epoch, int batch, string parameter, bool weightsRestored)
        : this(epoch, batch, double.NaN, parameter, weightsRestored, $"parameter '{parameter}' held a non-finite value after the step") { }

    internal TrainingDivergedException(int epoch, int batch, double loss, string? parameter, bool weightsRestored, string what)
        : base(string.Create(CultureInfo.InvariantCulture, $"Training diverged: {what} at epoch {epoch}, batch {batch}. ") +
            (weightsRestored ? "The weights were restored to those of the last step whose weights, running statistics and loss were finite; try a smaller learning rate."
                             : "The weights are those of the failing step; try a smaller learning rate."))
    {
        Epoch = epoch;
        Batch = batch;
        Loss = loss;
        Parameter = parameter;
        WeightsRestored = weightsRestored;
    }

    /// <summary>The epoch (1-based) in which training diverged.</summary>
    public int Epoch { get; }

    /// <summary>The batch (1-based, within the epoch) whose step diverged.</summary>
    public int Batch { get; }

    /// <summary>The non-finite loss; NaN when it was a weight that was not finite (see <see cref="Parameter"/>).</summary>
    public double Loss { get; } = double.NaN;

    /// <summary>
    /// The name of the first parameter that held a non-finite value, or of the BatchNorm running statistic as PyTorch's
    /// <c>state_dict</c> names it (<c>"1.running_var"</c>); null when the loss was what diverged.
    /// </summary>
    public string? Parameter { get; }

    /// <summary>Whether the last good weights (and running statistics) were put back.</summary>
    public bool WeightsRestored { get; }
}
