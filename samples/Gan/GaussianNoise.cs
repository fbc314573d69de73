namespace NeuralNets.Samples.Gan;

/// <summary>Standard normal draws from a seeded <see cref="Random"/> (Box–Muller, both values of each pair used).</summary>
public static class GaussianNoise
{
    /// <summary>Fills <paramref name="destination"/> with N(0, 1) draws.</summary>
    public static void Fill(Random random, Span<float> destination)
    {
        for (int i = 0; i < destination.Length; i += 2)
        {
            // 1 − U keeps the logarithm's argument in (0, 1].
            double radius = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())), angle = 2 * Math.PI * random.NextDouble();
            destination[i] = (float)(radius * Math.Cos(angle));
            if (i + 1 < destination.Length) destination[i + 1] = (float)(radius * Math.Sin(angle));
        }
    }
}
