namespace NeuralNets.Training.Callbacks;

/// <summary>
/// A training callback whose state a checkpoint keeps, so that "4 epochs straight" and "2 epochs, checkpoint, resume in
/// fresh objects, 2 epochs" make the same decisions. <see cref="EarlyStopping{T}"/>, <see cref="ReduceLearningRateOnPlateau{T}"/>
/// and <see cref="ModelCheckpoint{T}"/> implement it; a user's <see cref="ITrainingCallback{T}"/> opts in by implementing
/// it too.
/// </summary>
/// <remarks>
/// <para>A checkpoint written by <see cref="Trainer{T}.SaveCheckpoint"/> (or through
/// <see cref="TrainingContext{T}.SaveCheckpoint"/>, which writes once every callback's
/// <see cref="ITrainingCallback{T}.OnEpochEnd"/> of the epoch has run) holds <see cref="ExportState"/> of every callback
/// of the run that implements this interface, in the order they were given to <see cref="Trainer{T}.Fit"/>.</para>
/// <para><c>Fit(…, resumeFrom: path)</c> calls every callback's <see cref="ITrainingCallback{T}.OnTrainBegin"/> first (a
/// fresh start) and then <see cref="ImportState"/> with the first saved state of the same <see cref="CallbackState.Kind"/>
/// not yet taken, so that the same stateful callbacks passed in the same order get their own states back. A callback
/// with no saved state of its kind (one added on resuming, or a checkpoint written by an earlier version) stays at its
/// fresh start; a saved state no callback takes is left unused.</para>
/// </remarks>
public interface IStatefulCallback
{
    /// <summary>The callback's state as plain data: what it needs to decide as if the run had never been interrupted.</summary>
    CallbackState ExportState();

    /// <summary>
    /// Puts a state from <see cref="ExportState"/> back, after <see cref="ITrainingCallback{T}.OnTrainBegin"/> of a
    /// resumed run. All or nothing: check everything before changing anything.
    /// </summary>
    /// <param name="state">The saved state.</param>
    /// <exception cref="ArgumentException">The state does not fit this callback (another kind, a missing or malformed value); the message names which. The trainer reports it as an <see cref="InvalidDataException"/> naming the file and the callback.</exception>
    void ImportState(CallbackState state);
}
