using System.Text;
using NeuralNets.Data;

namespace NeuralNets.Training;

/// <summary>How <see cref="Trainer{T}.Fit"/> runs.</summary>
public sealed record TrainingOptions
{
    /// <summary>Passes over the training set. Default 10.</summary>
    public int Epochs { get; init; } = 10;

    /// <summary>Samples per mini-batch; the gradient is averaged over them. Default 32.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>Whether to shuffle the training set at the start of every epoch. Default true.</summary>
    public bool Shuffle { get; init; } = true;

    /// <summary>Seed of the shuffling (and of nothing else: weights get theirs at construction). Default 0.</summary>
    public int Seed { get; init; }

    /// <summary>
    /// Keep a copy of the weights of the last step whose weights and loss were finite, so that a run that
    /// diverges leaves them in place, with the running statistics of the network's BatchNorm layers taken with them.
    /// Holds two copies of the parameters (and statistics) and copies them once per step, in the pass that checks them
    /// for non-finite values (which runs either way). Default true.
    /// </summary>
    public bool KeepLastGoodWeights { get; init; } = true;

    /// <summary>Called at the start of each epoch (1-based) before its first step, e.g. to set a learning rate from a schedule.</summary>
    public Action<int>? OnEpochStart { get; init; }

    /// <summary>
    /// Called before every step with the step's number over the whole run (1-based), e.g. to set a learning rate from a
    /// per-step schedule (<see cref="Schedules.LinearWarmup"/>, <see cref="Schedules.OneCycle"/>); after <see cref="OnEpochStart"/> when both are set.
    /// </summary>
    public Action<int>? OnStepStart { get; init; }

    /// <summary>
    /// Clip the gradients so that their global L2 norm over the optimizer's parameters is at most this before every
    /// step (<see cref="GradientClipping.ClipByGlobalNorm{T}"/>); null for no clipping. The norm before clipping is
    /// reported per epoch (<see cref="EpochReport.GradientNorm"/>). Default null.
    /// </summary>
    public double? MaxGradientNorm { get; init; }

    /// <summary>
    /// Clamp every gradient element into [−value, value] before every step (<see cref="GradientClipping.ClipByValue{T}"/>);
    /// null for none. With <see cref="MaxGradientNorm"/> too, values are clamped first and the norm clipped after. Default null.
    /// </summary>
    public double? GradientClipValue { get; init; }

    /// <summary>
    /// Seeded image augmentation applied to every training batch inside <see cref="Trainer{T}.Fit"/>; null for none. Each
    /// sample's draws are keyed by the augmentation's own <see cref="ImageAugmentation.Seed"/>, the epoch (1-based) and the
    /// sample's index in the training set, so they do not depend on the batch size, the shuffle or the thread count, and a
    /// resumed run draws what a straight one would. The samples must be images <c>[C, H, W]</c>. Validation and
    /// <see cref="Trainer{T}.Evaluate"/> data are never augmented. Default null.
    /// </summary>
    public ImageAugmentation? Augmentation { get; init; }

    /// <summary>
    /// Adversarial training: a fraction of every training batch replaced by fast-gradient-sign examples made from the
    /// current weights (after <see cref="Augmentation"/>, when both are set); null for none. See <see cref="AdversarialTraining"/>
    /// for what is replaced and why. The training loss and metrics reported are those of the batches as trained on. Default null.
    /// </summary>
    public AdversarialTraining? Adversarial { get; init; }

    internal bool ClipsGradients => MaxGradientNorm is not null || GradientClipValue is not null;

    internal void Validate()
    {
        if (MaxGradientNorm is double norm) GradientClipping.CheckLimit(norm, nameof(MaxGradientNorm));
        if (GradientClipValue is double value) GradientClipping.CheckLimit(value, nameof(GradientClipValue));
        if (Epochs <= 0) throw new ArgumentOutOfRangeException(nameof(Epochs), FormattableString.Invariant($"Epochs must be positive, but was {Epochs}."));
        if (BatchSize <= 0) throw new ArgumentOutOfRangeException(nameof(BatchSize), FormattableString.Invariant($"Batch size must be positive, but was {BatchSize}."));
        Augmentation?.Validate();
        Adversarial?.Validate();
    }

    // Numbers written in the invariant culture (RecordText), not the current one as the generated member list would.
    private bool PrintMembers(StringBuilder builder) => RecordText.PrintMembers(this, builder);
}
