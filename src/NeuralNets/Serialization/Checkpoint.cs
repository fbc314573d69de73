using System.Globalization;
using System.Numerics;
using System.Runtime.InteropServices;
using NeuralNets.Layers;
using NeuralNets.Optimizers;
using NeuralNets.Tensors;
using NeuralNets.Training;

namespace NeuralNets.Serialization;

/// <summary>
/// Checkpoint files: the whole state of a training run at the end of an epoch, so that <see cref="Trainer{T}.Fit"/> can
/// resume it bit for bit. <see cref="Trainer{T}.SaveCheckpoint"/> (or <see cref="Training.Callbacks.ModelCheckpoint{T}"/>)
/// writes one; <c>Fit(…, resumeFrom: path)</c> continues from it; <see cref="LoadNetwork{T}"/> reads only the network.
/// </summary>
/// <remarks>
/// <para>One JSON file of format <c>neuralnets-checkpoint/2</c> holds: the network (architecture and weights, as
/// <see cref="ModelFile"/> saves it), the optimizer's state (<see cref="IOptimizer{T}.ExportState"/>: hyperparameters,
/// moments, step counts), the epochs and steps finished (where per-epoch and per-step schedules resume), the training
/// history so far, the settings that decide the batches (batch size, shuffling, seed, number of samples) and the
/// position of every random stream: the shuffle's is the epoch itself (<see cref="MiniBatches{T}"/>), each
/// <see cref="IRandomStreamLayer"/>'s (such as <see cref="Dropout{T}"/>'s) is stored by its place in the network.</para>
/// <para>Since format 2 it also holds the state of every callback of the run that implements
/// <see cref="Training.Callbacks.IStatefulCallback"/> (<see cref="Training.Callbacks.EarlyStopping{T}"/>'s best value,
/// wait, best weights and running statistics, <see cref="Training.Callbacks.ReduceLearningRateOnPlateau{T}"/>'s best value, bad epochs and
/// cooldown, <see cref="Training.Callbacks.ModelCheckpoint{T}"/>'s best value and saved epochs, a user's own), in the
/// order given to <c>Fit</c>, and optimizer-wide scalars (<see cref="OptimizerSnapshot.Scalars"/>, L-BFGS's). Format-1
/// files still load: their callbacks start afresh. On resuming, each stateful callback takes the first saved state of
/// its kind not yet taken (the same callbacks in the same order get their own back); one without a saved state starts
/// afresh. A saved state that the callback refuses gives an <see cref="InvalidDataException"/> naming the callback and the
/// problem, and leaves the network and optimizer as they were before the resume.</para>
/// <para>Checkpoints are taken at epoch ends only; a run cancelled within an epoch resumes from the last checkpoint
/// written.</para>
/// <para>Files are written atomically (a temporary file, flushed, then moved over the target), and read as untrusted:
/// a malformed, truncated or later-version file gives an <see cref="InvalidDataException"/> naming the file and the
/// field, and memory stays bounded by the file's size.</para>
/// </remarks>
public static class Checkpoint
{
    /// <summary>The format this version writes and reads.</summary>
    public const string Format = CheckpointDocument.CurrentFormat;

    /// <summary>Reads only the network of a checkpoint, with the weights it had when the checkpoint was taken (for inference, or to inspect it).</summary>
    /// <exception cref="FileNotFoundException">The file does not exist (other file-system errors are the usual <see cref="IOException"/>s).</exception>
    /// <exception cref="InvalidDataException">The file is not a well-formed checkpoint of this format, or holds another element type; the message names the file and the field.</exception>
    public static Sequential<T> LoadNetwork<T>(string path) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (document, file) = Read<T>(path);
        var network = ModelFile.Build<T>(document.Model, $"{file}: Model");
        RandomStreams(network, document.RandomStreams, file);
        return network;
    }

    /// <summary>Writes the state of a run; <see cref="Trainer{T}.SaveCheckpoint"/> checks that the run is at an epoch's end.</summary>
    internal static void Save<T>(string path, ILayer<T> network, IOptimizer<T> optimizer, TrainingHistory history, CheckpointProgress progress,
        Training.Callbacks.CallbackState[] callbacks)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var sequential = network as Sequential<T> ?? throw new InvalidOperationException(
            $"A checkpoint holds the network as ModelFile saves it, which needs a Sequential<{typeof(T).Name}>; this trainer's network is a {network.GetType().Name}.");
        OptimizerSnapshot snapshot;
        try
        {
            snapshot = optimizer.ExportState();
        }
        catch (NotSupportedException e)
        {
            throw new NotSupportedException(
                $"A checkpoint holds the optimizer's state, but {optimizer} cannot export it ({e.Message}) Train with an optimizer that exports its state, or save the weights alone with ModelFile.Save.", e);
        }
        var model = ModelFile.Document(sequential, path);
        var streams = new List<RandomStreamRecord>();
        Walk(sequential, "", (layer, place) => streams.Add(new RandomStreamRecord(place, layer.RandomPosition)));
        var document = new CheckpointDocument(typeof(T).Name, model, progress, [.. streams], snapshot, [.. history.Epochs], callbacks);
        AtomicFile.Write(Path.GetFullPath(path), stream => CheckpointWriter.Write(stream, document));
    }

    /// <summary>
    /// Puts the state of a checkpoint into a freshly built network and optimizer. Everything is checked before anything
    /// changes: the architecture against the network's (every layer's description, seeds included), the parameters'
    /// names, shapes and data (finite: a checkpoint is taken of a run that has not diverged), the random streams, and the
    /// optimizer's state (by its own all-or-nothing import).
    /// </summary>
    /// <param name="path">The checkpoint.</param>
    /// <param name="network">The network to restore.</param>
    /// <param name="optimizer">The optimizer to restore.</param>
    /// <param name="checkRun">Checks the run's settings against the caller's, before anything changes.</param>
    /// <returns>
    /// Where the run was, its history, the callbacks' states (null when the file has none), and what the restore replaced,
    /// to put back if the resume is refused later (a callback refuses its state).
    /// </returns>
    internal static (CheckpointProgress Progress, EpochReport[] History, Training.Callbacks.CallbackState[]? Callbacks, RestoreUndo<T> Undo) Restore<T>(
        string path, ILayer<T> network, IOptimizer<T> optimizer, Action<CheckpointProgress> checkRun)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (document, file) = Read<T>(path);
        checkRun(document.Progress);
        var sequential = network as Sequential<T> ?? throw new ArgumentException(
            $"{file} holds a Sequential<{typeof(T).Name}>, but this trainer's network is a {network.GetType().Name}.", nameof(network));
        CheckArchitecture(document.Model, sequential, file);
        var parameters = document.Model.Parameters;
        ParameterCheck.Match(parameters, ModelFile.Specs(sequential.Parameters), Marshal.SizeOf<T>(), file, "the network");
        var weights = ParameterCheck.Decode(parameters, sequential.Parameters, file);
        ParameterCheck.RequireFinite<T>(weights, parameters, file,
            "a checkpoint holds the weights of a run that had not diverged, so the file is damaged.");
        var positions = Positions(sequential, document.RandomStreams, file);
        var statistics = RunningStatistics(sequential, document.Model.Layers, file);
        var undo = RestoreUndo<T>.Capture(sequential, optimizer, positions.Select(p => p.Layer));
        try
        {
            optimizer.ImportState(document.Optimizer);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{file}: the optimizer state does not fit {optimizer}: {e.Message}", e);
        }
        catch (NotSupportedException e)
        {
            throw new InvalidDataException($"{file} holds the state of {document.Optimizer.Kind}, but {optimizer} cannot import state: {e.Message}", e);
        }
        sequential.BeginTrainingStep();
        try
        {
            ParameterCheck.Write(weights, sequential.Parameters);
        }
        finally
        {
            sequential.EndTrainingStep();
        }
        foreach (var (layer, position) in positions) layer.RandomPosition = position;
        foreach (var (layer, state) in statistics) layer.SetRunningStatistics(state.Mean, state.Variance, state.BatchesTracked);
        return (document.Progress, document.History, document.Callbacks, undo);
    }

    private static (CheckpointDocument Document, string File) Read<T>(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string file = $"'{path}'";
        var document = CheckpointJson.Read(path, file);
        if (document.ElementType != typeof(T).Name)
            throw new InvalidDataException($"{file} is a checkpoint of a {document.ElementType} run, not {typeof(T).Name}.");
        return (document, file);
    }

    // The network must be the one the run trained: the same layers, described alike (a dropout seed or rate that differs
    // would not fail anywhere later, it would only draw other masks).
    private static void CheckArchitecture<T>(ModelDocument model, Sequential<T> network, string file) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (network.InputShape is not { } input || !input.SequenceEqual(model.InputShape))
            throw new InvalidDataException($"{file} holds a network of input shape {TensorMemory.ShapeText(model.InputShape)}, but this network's is {(network.InputShape is null ? "unknown" : TensorMemory.ShapeText(network.InputShape))}.");
        if (network.Layers.Count != model.Layers.Length)
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"{file} holds a network of {model.Layers.Length} layers, but this network has {network.Layers.Count}."));
        for (int i = 0; i < model.Layers.Length; i++)
        {
            var own = network.Layers[i].Describe();
            if (!Architecture(own).Equals(Architecture(model.Layers[i])))
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                    $"{file}: layer {i} is {model.Layers[i]} in the checkpoint but {own} in this network; build the network as the checkpointed run did."));
        }
    }

    // A BatchNorm's running statistics and batch count change as it trains: they are state, restored with the weights,
    // not part of the architecture that must match. Nor is whether a default the layer leaves out is spelled out.
    private static LayerDescription Architecture(LayerDescription description)
    {
        var layers = description.Layers.Select(Architecture).ToArray();
        description = BuiltInLayerKinds.WithoutSpelledDefaults(description);
        if (description.Kind is not ("BatchNorm1D" or "BatchNorm2D")) return description with { Layers = layers };
        return description with
        {
            Settings = description.Settings.Where(s => s.Key != BatchNorm<double>.BatchesTrackedSetting).ToDictionary(),
            TextSettings = description.TextSettings
                .Where(s => s.Key is not (BatchNorm<double>.RunningMeanSetting or BatchNorm<double>.RunningVarianceSetting)).ToDictionary(),
            Layers = layers,
        };
    }

    /// <summary>Every BatchNorm layer of the network (nested ones too) with the running statistics the checkpoint holds for it, checked.</summary>
    private static List<(BatchNorm<T> Layer, BuiltInLayerKinds.BatchNormState State)> RunningStatistics<T>(
        ILayer<T> network, IReadOnlyList<LayerDescription> saved, string file, string prefix = "")
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var found = new List<(BatchNorm<T>, BuiltInLayerKinds.BatchNormState)>();
        var layers = NestedLayers.Of(network);
        for (int i = 0; i < layers.Count; i++)
        {
            string place = prefix + i.ToString(CultureInfo.InvariantCulture);
            if (layers[i] is BatchNorm<T> batchNorm)
                found.Add((batchNorm, BuiltInLayerKinds.State(new LayerSettings(saved[i], $"{file}: Model layer {place}"), batchNorm.Features)));
            else found.AddRange(RunningStatistics(layers[i], saved[i].Layers, file, place + "."));
        }
        return found;
    }

    private static List<(IRandomStreamLayer Layer, long Position)> Positions<T>(Sequential<T> network, RandomStreamRecord[] records, string file)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var layers = new List<(IRandomStreamLayer Layer, string Place)>();
        Walk(network, "", (layer, place) => layers.Add((layer, place)));
        if (layers.Count != records.Length)
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                $"{file}: 'RandomStreams' holds {records.Length} entries, but the network has {layers.Count} layers that draw random numbers ({string.Join(", ", layers.Select(l => l.Place))})."));
        var positions = new List<(IRandomStreamLayer, long)>(layers.Count);
        for (int i = 0; i < records.Length; i++)
        {
            if (records[i].Layer != layers[i].Place)
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                    $"{file}: random stream {i} is for layer '{records[i].Layer}', but the network's random layer {i} is layer '{layers[i].Place}'."));
            positions.Add((layers[i].Layer, records[i].Position));
        }
        return positions;
    }

    private static void RandomStreams<T>(Sequential<T> network, RandomStreamRecord[] records, string file) where T : unmanaged, IFloatingPointIeee754<T>
    {
        foreach (var (layer, position) in Positions(network, records, file)) layer.RandomPosition = position;
    }

    /// <summary>Visits every <see cref="IRandomStreamLayer"/> of the network, inside nested <see cref="Sequential{T}"/>s too, with its place (<c>"2"</c>, <c>"2.1"</c>).</summary>
    private static void Walk<T>(ILayer<T> network, string prefix, Action<IRandomStreamLayer, string> visit) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var layers = NestedLayers.Of(network);
        for (int i = 0; i < layers.Count; i++)
        {
            string place = prefix + i.ToString(CultureInfo.InvariantCulture);
            if (layers[i] is IRandomStreamLayer random) visit(random, place);
            Walk(layers[i], place + ".", visit);
        }
    }
}
