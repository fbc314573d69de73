using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace NeuralNets.Benchmarks;

/// <summary>
/// <c>firstsecond</c> in many fresh processes, tiered and with <c>DOTNET_TieredCompilation=0</c> taking turns: the host's
/// speed drifts from one second to the next by more than the effect measured, so one process's first second against its
/// steady state reads anywhere from 0.8 to 1.4 here. Prints each process's line, then the medians over the processes of
/// the first second against the steady state (means and medians) and of each round's untiered steady mean against the
/// tiered one's.
/// </summary>
internal static partial class FirstSecondProcesses
{
    public static void Run(string model, int rounds)
    {
        var firstMeans = new List<double>();
        var firstMedians = new List<double>();
        var untieredFirstMeans = new List<double>();
        var untieredOverTiered = new List<double>();
        for (int round = 0; round < rounds; round++)
        {
            double tieredSteady = 0, untieredSteady = 0;
            // Turns alternate which setting runs first, so that a drift within a round falls on both alike.
            foreach (bool untiered in round % 2 == 0 ? new[] { false, true } : [true, false])
            {
                string line = RunOnce(model, untiered);
                Console.WriteLine($"{(untiered ? "TC=0  " : "tiered")} {line}");
                var match = Ratios().Match(line);
                var steady = SteadyMean().Match(line);
                if (!match.Success || !steady.Success) throw new InvalidOperationException($"Unexpected output: {line}");
                double means = Parse(match.Groups[1].Value), medians = Parse(match.Groups[2].Value), steadyMean = Parse(steady.Groups[1].Value);
                if (untiered)
                {
                    untieredFirstMeans.Add(means);
                    untieredSteady = steadyMean;
                }
                else
                {
                    firstMeans.Add(means);
                    firstMedians.Add(medians);
                    tieredSteady = steadyMean;
                }
            }
            untieredOverTiered.Add(untieredSteady / tieredSteady);
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{model}, {rounds} processes each: first second / steady, medians over the processes: means {Rounds.Median(firstMeans):F2} (from {firstMeans.Min():F2} to {firstMeans.Max():F2}), medians {Rounds.Median(firstMedians):F2}; DOTNET_TieredCompilation=0: first second / steady means {Rounds.Median(untieredFirstMeans):F2}, steady against the tiered steady {Rounds.Median(untieredOverTiered):F2} (from {untieredOverTiered.Min():F2} to {untieredOverTiered.Max():F2})"));
    }

    private static string RunOnce(string model, bool untiered)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!, ["firstsecond", model]) { RedirectStandardOutput = true, UseShellExecute = false };
        start.Environment.Remove("DOTNET_TieredCompilation");
        if (untiered) start.Environment["DOTNET_TieredCompilation"] = "0";
        using var process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return output.Split('\n')[0].Trim();
    }

    private static double Parse(string text) => double.Parse(text, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"first second / steady: means ([0-9.]+), medians ([0-9.]+)")]
    private static partial Regex Ratios();

    [GeneratedRegex(@"steady [0-9]+ steps, mean ([0-9.]+)")]
    private static partial Regex SteadyMean();
}
