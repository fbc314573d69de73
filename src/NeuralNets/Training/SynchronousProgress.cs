namespace NeuralNets.Training;

/// <summary>
/// An <see cref="IProgress{T}"/> that calls its handler at once on the reporting thread. Unlike
/// <see cref="Progress{T}"/> it does not post to a synchronisation context, so console output stays in order.
/// </summary>
/// <typeparam name="TReport">The report type, e.g. <see cref="EpochReport"/>.</typeparam>
public sealed class SynchronousProgress<TReport>(Action<TReport> handler) : IProgress<TReport>
{
    private readonly Action<TReport> _handler = handler ?? throw new ArgumentNullException(nameof(handler));

    /// <inheritdoc/>
    public void Report(TReport value) => _handler(value);
}
