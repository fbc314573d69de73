using System.Text;
using NeuralNets.Optimizers;
using NeuralNets.Training;
using NeuralNets.Training.Callbacks;

namespace NeuralNets.Serialization;

/// <summary>Everything a checkpoint file holds, as read from it or about to be written.</summary>
/// <param name="ElementType">The element type's name, <c>"Single"</c> or <c>"Double"</c>.</param>
/// <param name="Model">The network, as a model file holds it.</param>
/// <param name="Progress">Where the run was.</param>
/// <param name="RandomStreams">The position of every layer that draws random numbers, in the network's order.</param>
/// <param name="Optimizer">The optimizer's state.</param>
/// <param name="History">The reports of the finished epochs.</param>
/// <param name="Callbacks">The state of each <see cref="IStatefulCallback"/> of the run, in order; null in a format-1 file, which has none.</param>
internal sealed record CheckpointDocument(
    string ElementType, ModelDocument Model, CheckpointProgress Progress, RandomStreamRecord[] RandomStreams,
    OptimizerSnapshot Optimizer, EpochReport[] History, CallbackState[]? Callbacks)
{
    /// <summary>
    /// The value of the <c>Format</c> field in every file this version writes. Version 2 added the callbacks' state
    /// (<c>Callbacks</c>) and optimizer-wide scalars (<c>Optimizer.Scalars</c>, L-BFGS's); version 1 lacks both.
    /// </summary>
    public const string CurrentFormat = "neuralnets-checkpoint/2";

    /// <summary>The formats this version reads.</summary>
    public static readonly string[] ReadableFormats = ["neuralnets-checkpoint/1", CurrentFormat];

    /// <summary>What every checkpoint format starts with; a later version keeps it and raises the number.</summary>
    public const string FormatPrefix = "neuralnets-checkpoint/";
}

/// <summary>How far a run got, and the settings of <see cref="TrainingOptions"/> that decide which batches come next.</summary>
/// <param name="Epoch">Epochs finished.</param>
/// <param name="Step">Optimizer steps taken (<see cref="TrainingHistory.Steps"/>), which is where a per-step schedule resumes.</param>
/// <param name="BatchSize">The batch size in effect (the option, capped at the number of samples).</param>
/// <param name="Shuffle">Whether the run shuffled.</param>
/// <param name="Seed">The shuffling seed.</param>
/// <param name="SampleCount">The number of training samples.</param>
internal sealed record CheckpointProgress(int Epoch, long Step, int BatchSize, bool Shuffle, int Seed, int SampleCount)
{
    // Numbers written in the invariant culture (RecordText), not the current one as the generated member list would.
    private bool PrintMembers(StringBuilder builder) => RecordText.PrintMembers(this, builder);
}

/// <summary>The position of one layer's random streams.</summary>
/// <param name="Layer">The layer's place in the network: its index, and for a layer inside a nested <c>Sequential</c> the indices down to it joined by dots (<c>"2.1"</c>).</param>
/// <param name="Position">Its <see cref="Layers.IRandomStreamLayer.RandomPosition"/>.</param>
internal sealed record RandomStreamRecord(string Layer, long Position)
{
    // Numbers written in the invariant culture (RecordText), not the current one as the generated member list would.
    private bool PrintMembers(StringBuilder builder) => RecordText.PrintMembers(this, builder);
}
