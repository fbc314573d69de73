namespace NeuralNets.Benchmarks;

/// <summary>
/// Contestants timed in rounds, taking turns: every round runs each once, its order turned by one each round, so that a
/// change in the host's speed falls on all of them alike; and the median that reads such rounds.
/// </summary>
internal static class Rounds
{
    /// <summary>
    /// What each contestant returns (its time) in each of <paramref name="rounds"/> rounds, after one warm-up call of each:
    /// <c>times[contestant][round]</c>.
    /// </summary>
    public static double[][] Interleaved(Func<double>[] contestants, int rounds)
    {
        foreach (var contestant in contestants) contestant();
        var times = contestants.Select(_ => new double[rounds]).ToArray();
        for (int round = 0; round < rounds; round++)
            for (int turn = 0; turn < contestants.Length; turn++)
            {
                int contestant = (round + turn) % contestants.Length;
                times[contestant][round] = contestants[contestant]();
            }
        return times;
    }

    /// <summary>The middle value (the upper one of an even count).</summary>
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }
}
