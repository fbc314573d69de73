namespace NeuralNets.Training;

/// <summary>The figures of one finished epoch.</summary>
/// <param name="Epoch">The epoch, 1-based.</param>
/// <param name="Epochs">The number of epochs asked for.</param>
/// <param name="TrainLoss">Mean training loss over the epoch's batches (each at the weights before its step).</param>
/// <param name="TrainAccuracy">Training accuracy over the epoch, or null when the loss is not a classification loss.</param>
/// <param name="ValidationLoss">Loss on the validation set after the epoch, or null without one.</param>
/// <param name="ValidationAccuracy">Accuracy on the validation set after the epoch, or null.</param>
/// <param name="Elapsed">Wall time of the epoch, validation included.</param>
public sealed record EpochReport(
    int Epoch, int Epochs, double TrainLoss, double? TrainAccuracy,
    double? ValidationLoss, double? ValidationAccuracy, TimeSpan Elapsed)
{
    /// <summary>One line such as <c>epoch 3/10  loss 0.4121  acc 0.8512  val_loss 0.4410  val_acc 0.8430  (1.2 s)</c>.</summary>
    public override string ToString()
    {
        var text = System.FormattableString.Invariant($"epoch {Epoch}/{Epochs}  loss {TrainLoss:F4}");
        if (TrainAccuracy is double a) text += System.FormattableString.Invariant($"  acc {a:F4}");
        if (ValidationLoss is double vl) text += System.FormattableString.Invariant($"  val_loss {vl:F4}");
        if (ValidationAccuracy is double va) text += System.FormattableString.Invariant($"  val_acc {va:F4}");
        return text + System.FormattableString.Invariant($"  ({Elapsed.TotalSeconds:F1} s)");
    }
}
