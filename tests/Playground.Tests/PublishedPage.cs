using System.Diagnostics;

namespace Playground.Tests;

/// <summary>
/// The published app served on 127.0.0.1. CI publishes it once and names the wwwroot folder in
/// PLAYGROUND_WWWROOT; without it, the fixture publishes samples/Playground itself (a minute or two).
/// </summary>
public sealed class PublishedPage : IDisposable
{
    private readonly string? _publishFolder;

    public PublishedPage()
    {
        RepositoryRoot = FindRepositoryRoot();
        string? wwwroot = Environment.GetEnvironmentVariable("PLAYGROUND_WWWROOT");
        if (string.IsNullOrEmpty(wwwroot))
        {
            _publishFolder = Directory.CreateTempSubdirectory("playground-").FullName;
            Publish(Path.Combine(RepositoryRoot, "samples", "Playground"), _publishFolder);
            wwwroot = Path.Combine(_publishFolder, "wwwroot");
        }
        Server = new StaticFileServer(wwwroot);
    }

    public string RepositoryRoot { get; }

    public StaticFileServer Server { get; }

    public void Dispose()
    {
        Server.Dispose();
        if (_publishFolder is not null) Directory.Delete(_publishFolder, recursive: true);
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "NeuralNets.sln"))) return dir.FullName;
        throw new InvalidOperationException($"No NeuralNets.sln above {AppContext.BaseDirectory}.");
    }

    private static void Publish(string project, string output)
    {
        var start = new ProcessStartInfo("dotnet", ["publish", project, "-c", "Release", "-o", output, "--nologo"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"dotnet publish {project} failed ({process.ExitCode}):\n{stdout.Result}\n{stderr.Result}");
    }
}
