using System.Globalization;
using System.Numerics;
using NeuralNets.Serialization;
using NeuralNets.Training.Callbacks;

namespace NeuralNets.Training;

/// <summary>
/// What a resumed <see cref="Trainer{T}.Fit"/> has changed before its first step, kept until that step: a Fit that throws
/// before it (a callback's <c>OnTrainBegin</c> or first <c>OnEpochBegin</c>, a schedule, a refused callback state,
/// cancellation) puts it all back, so that the caller's network is not left holding the checkpoint's weights.
/// </summary>
/// <param name="restore">What the checkpoint's restore replaced in the network and the optimizer.</param>
/// <param name="history">The trainer's history before Fit.</param>
internal sealed class ResumeUndo<T>(RestoreUndo<T> restore, TrainingHistory history) where T : unmanaged, IFloatingPointIeee754<T>
{
    private (IStatefulCallback Callback, CallbackState State)?[] _callbacks = [];

    /// <summary>The trainer's history before Fit, its <see cref="Trainer{T}.History"/> again once the resume is taken back.</summary>
    public TrainingHistory History => history;

    /// <summary>
    /// How many of the callbacks' <c>OnTrainBegin</c> have returned: only those have changed, and only those can take a state
    /// back (<see cref="IStatefulCallback.ImportState"/> comes after <c>OnTrainBegin</c>).
    /// </summary>
    public int Begun { get; set; }

    /// <summary>Keeps each stateful callback's state, before any of them begins the run.</summary>
    public void Capture(ITrainingCallback<T>[] callbacks)
    {
        _callbacks = new (IStatefulCallback, CallbackState)?[callbacks.Length];
        for (int i = 0; i < callbacks.Length; i++)
            if (callbacks[i] is IStatefulCallback stateful) _callbacks[i] = (stateful, stateful.ExportState());
    }

    /// <summary>
    /// Puts the network, the optimizer and the begun callbacks back; false when the optimizer could not be (it cannot export
    /// its state). A callback that refuses its own state of before Fit does not stop the others from being put back: its
    /// refusal is added to <paramref name="refusals"/>, to be thrown beside the exception that ended Fit.
    /// </summary>
    public bool Undo(List<Exception> refusals)
    {
        bool optimizer = restore.Undo();
        for (int i = 0; i < Begun; i++)
        {
            if (_callbacks[i] is not { } kept) continue;
            try
            {
                kept.Callback.ImportState(kept.State);  // its own export of before Fit: it fits, unless the callback is at fault
            }
            catch (Exception e)
            {
                refusals.Add(new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                    $"Callback {i} ({kept.Callback}) refused its own state of before Fit while the resume was taken back, so it may hold the checkpoint's: {e.Message}"), e));
            }
        }
        return optimizer;
    }
}
