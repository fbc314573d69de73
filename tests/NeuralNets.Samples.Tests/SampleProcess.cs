using System.Diagnostics;

namespace NeuralNets.Samples.Tests;

/// <summary>What a sample printed and how it exited.</summary>
public sealed record SampleRun(int ExitCode, string Output, string Error);

/// <summary>Runs a sample's built program with <c>dotnet</c>, its output redirected as in a CI log.</summary>
public static class SampleProcess
{
    /// <summary>The samples this project runs: name, folder under samples/, and program.</summary>
    public static readonly IReadOnlyDictionary<string, string> Folders = new Dictionary<string, string>
    {
        ["FashionMnist"] = "FashionMnist",
        ["OptimizerRace"] = "OptimizerRace",
        ["Tabular"] = "Tabular",
        ["InClassExample"] = "InClassExample",
        ["Deploy.Train"] = "Deploy/Train",
        ["Deploy.Score"] = "Deploy/Score",
        ["Quickstart"] = "Quickstart",
    };

    /// <summary>
    /// Runs <paramref name="sample"/> with <paramref name="arguments"/> in <paramref name="workingDirectory"/> (a temporary one
    /// when null), with <paramref name="environment"/> added to this process's variables.
    /// </summary>
    public static SampleRun Run(string sample, IEnumerable<string> arguments, string? workingDirectory = null,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory ?? Path.GetTempPath(),
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;
        start.ArgumentList.Add(Program(sample));
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start dotnet for {sample}");
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{sample} {string.Join(' ', arguments)} ran for more than two minutes");
        }
        return new SampleRun(process.ExitCode, output.Result, error.Result);
    }

    // This project's output is <root>/tests/NeuralNets.Samples.Tests/bin/<configuration>/<framework>/; each sample's is
    // <root>/samples/<folder>/bin/<configuration>/<framework>/, built by the project references.
    private static string Program(string sample)
    {
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        string framework = output.Name, configuration = output.Parent!.Name;
        var root = output;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "NeuralNets.sln"))) root = root.Parent;
        if (root is null) throw new DirectoryNotFoundException($"no NeuralNets.sln above {AppContext.BaseDirectory}");
        string path = Path.Combine(root.FullName, "samples", Folders[sample], "bin", configuration, framework, sample + ".dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"{sample} is not built at {path}", path);
    }
}
