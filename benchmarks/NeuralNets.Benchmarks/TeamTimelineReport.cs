using System.Diagnostics;
using NeuralNets.Kernels;
using NeuralNets.Layers;
using NeuralNets.Losses;
using NeuralNets.Optimizers;

namespace NeuralNets.Benchmarks;

/// <summary>
/// The team's jobs in an MLP, LeNet, Keras-example, CIFAR-sized (with or without batch normalisation) or VGG-style CNN training step, one line per job in step order (medians over the recorded steps): the
/// time before it when only the calling thread works (the loss, the serial passes), the job's length, and how long each part
/// ran and how late it started. A part that ends well before the job does shows where a core waited.
/// </summary>
internal static class TeamTimelineReport
{
    public static void Run(string network, int batch)
    {
        var step = TrainingStep(network, batch);
        for (int i = 0; i < (network == "vgg" ? 20 : batch >= 256 ? 3000 : 6000); i++) step();
        int steps = network == "vgg" ? 40 : 600;
        var bounds = new (long Start, long End)[steps];
        TeamTimeline.Start();
        for (int i = 0; i < steps; i++)
        {
            long start = Stopwatch.GetTimestamp();
            step();
            bounds[i] = (start, Stopwatch.GetTimestamp());
        }
        var entries = TeamTimeline.Stop();
        Print(network, batch, entries, bounds);
    }

    private static Action TrainingStep(string network, int batch)
    {
        Sequential<float> model;
        int[] sample;
        if (network == "lenet")
        {
            model = LeNet.Build(seed: 1);
            sample = [1, 28, 28];
        }
        else if (network == "keras")
        {
            model = RaceNetworks.KerasMnist(seed: 1);
            sample = [1, 28, 28];
        }
        else if (network is "cifar" or "cifarbn")
        {
            model = RaceNetworks.CifarSized(normalized: network == "cifarbn", seed: 1);
            sample = [3, 32, 32];
        }
        else if (network == "vgg")
        {
            model = VggStyle.Build(seed: 1);
            sample = [3, 32, 32];
        }
        else
        {
            model = Network.Sequential<float>(784).Dense(128).Sigmoid().Dense(10).Build(seed: 1);
            sample = [784];
        }
        int size = sample.Aggregate(1, (a, b) => a * b);
        var x = BenchmarkData.Wrap(BenchmarkData.Uniform(batch * size, 1, 0, 1), [batch, .. sample]);
        var y = BenchmarkData.Wrap(BenchmarkData.Labels(batch, 10, 2), batch);
        var loss = new SoftmaxCrossEntropy<float>();
        var sgd = new Sgd<float>(model.Parameters, 0.01);
        Func<float> evaluate = () =>
        {
            TrainerZeroing.ZeroGradientsDeferred(model);
            float value = loss.Forward(model.Forward(x, training: true), y);
            model.BackwardToParameters(loss.Backward());
            return value;
        };
        return () => sgd.Step(evaluate);
    }

    private static void Print(string network, int batch, TeamTimeline.Entry[] entries, (long Start, long End)[] bounds)
    {
        double microseconds = 1e6 / Stopwatch.Frequency;
        var rows = new List<List<double[]>>();
        var kinds = new List<Type>();
        var totals = new List<double>();
        int next = 0;
        foreach (var (start, end) in bounds)
        {
            totals.Add((end - start) * microseconds);
            var inStep = new List<TeamTimeline.Entry>();
            for (; next < entries.Length && entries[next].Start < end; next++)
                if (entries[next].Start >= start) inStep.Add(entries[next]);
            var jobs = inStep.Where(e => e.Part == TeamTimeline.WholeJob).OrderBy(e => e.Start).ToList();
            long previous = start;
            for (int j = 0; j < jobs.Count; j++)
            {
                var job = jobs[j];
                var parts = inStep.Where(e => e.Part >= 0 && e.Start >= job.Start && e.End <= job.End).ToList();
                double Part(int p, bool late) => parts.FirstOrDefault(e => e.Part == p) is { Kind: not null } e
                    ? (late ? e.Start - job.Start : e.End - e.Start) * microseconds : double.NaN;
                if (j == rows.Count)
                {
                    rows.Add([]);
                    kinds.Add(job.Kind);
                }
                // Steps whose jobs differ from the first step's at this place (a rare extra job) are left out of this line.
                if (kinds[j] == job.Kind)
                    rows[j].Add([(job.Start - previous) * microseconds, (job.End - job.Start) * microseconds, Part(0, false), Part(1, true), Part(1, false), (end - job.End) * microseconds]);
                previous = job.End;
            }
        }
        Console.WriteLine($"{network} batch {batch}: step median {Median(totals):F1} us over {bounds.Length} steps; {WorkerTeam.Threads} threads");
        Console.WriteLine($"{"#",3}  {"job",-48} {"before",7} {"job",7} {"part 0",7} {"1 late",7} {"part 1",7}");
        double serial = 0;
        for (int j = 0; j < rows.Count; j++)
        {
            double before = Median(rows[j].Select(r => r[0]));
            serial += before;
            Console.WriteLine($"{j,3}  {Name(kinds[j]),-48} {before,7:F1} {Median(rows[j].Select(r => r[1])),7:F1} {Median(rows[j].Select(r => r[2])),7:F1} " +
                $"{Median(rows[j].Select(r => r[3])),7:F1} {Median(rows[j].Select(r => r[4])),7:F1}");
        }
        double after = rows.Count > 0 ? Median(rows[^1].Select(r => r[5])) : 0;
        Console.WriteLine($"between and after jobs (the calling thread alone): {serial + after:F1} us");
    }

    // "product" for every matrix product (a GemmJob), "pass Activation.ActivateRange" for an elementwise pass, else the job's type.
    private static string Name(Type kind)
    {
        string name = kind.Name.Contains('`') ? kind.Name[..kind.Name.IndexOf('`')] : kind.Name;
        if (name == "GemmJob") return "product";
        if (name == "RangeWork") return "pass " + Name(kind.GenericTypeArguments[^1]);
        return kind.IsNested ? $"{Name(kind.DeclaringType!)}.{name}" : name;
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Where(v => !double.IsNaN(v)).Order().ToArray();
        return sorted.Length == 0 ? double.NaN : sorted[sorted.Length / 2];
    }
}
