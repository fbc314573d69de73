namespace NeuralNets.Kernels;

/// <summary>
/// A job that <see cref="WorkerTeam"/> runs as numbered parts. Each part runs exactly once, on
/// whichever thread claims it, so a part must compute the same thing whoever runs it: the result
/// then does not depend on the threads.
/// </summary>
internal abstract class TeamWork
{
    /// <summary>Runs part <paramref name="part"/> of <paramref name="parts"/>.</summary>
    public abstract void RunPart(int part, int parts);
}
