namespace NeuralNets.Samples.Gan;

/// <summary>The one-dimensional duel, printed: the figures as training goes, then a text histogram of generated against real draws.</summary>
public static class GaussianDuelReport
{
    /// <summary>Trains a <see cref="GanDuel"/> for <paramref name="steps"/> rounds and prints what it learnt.</summary>
    public static void Run(int steps)
    {
        var duel = new GanDuel(seed: 1);
        Console.WriteLine("real data: N(4.00, 1.25²)");
        Console.WriteLine(" step   D loss   G loss   D acc   generated mean   generated sd");
        var final = duel.Train(steps, reportEvery: Math.Max(1, steps / 12), report: s =>
            Console.WriteLine($"{s.Step,5}   {s.DiscriminatorLoss,6:F3}   {s.GeneratorLoss,6:F3}   {s.DiscriminatorAccuracy,5:F2}   {s.GeneratedMean,14:F3}   {s.GeneratedStandardDeviation,12:F3}"));

        var generated = duel.Generate(20000);
        var random = new Random(2);
        var real = Enumerable.Range(0, 20000).Select(_ => MathNet.Numerics.Distributions.Normal.Sample(random, 4, 1.25)).ToArray();
        Console.WriteLine();
        Console.WriteLine("   bin     real                           generated");
        for (double left = -1; left < 9; left += 0.5)
        {
            int r = real.Count(v => v >= left && v < left + 0.5), g = generated.Count(v => v >= left && v < left + 0.5);
            Console.WriteLine($"{left,6:F1}  {new string('#', r / 100),-30} {new string('*', g / 100)}");
        }
        Console.WriteLine();
        Console.WriteLine($"generated mean {final.GeneratedMean:F3} (real 4.000), sd {final.GeneratedStandardDeviation:F3} (real 1.250); discriminator accuracy {final.DiscriminatorAccuracy:F2} (0.50 = fooled)");
    }
}
