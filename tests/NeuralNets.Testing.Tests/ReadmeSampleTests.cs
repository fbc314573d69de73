using System.Text.RegularExpressions;

namespace NeuralNets.Testing.Tests;

/// <summary>Every C# sample of README's "Checking coursework" stands verbatim in a ReadmeSamples*.cs file, which the build compiles and the tests run.</summary>
public class ReadmeSampleTests
{
    private static string Normalised(string code) => Regex.Replace(code, @"\s+", " ").Trim();

    private static IReadOnlyList<string> Samples()
    {
        string readme = File.ReadAllText(Path.Combine(ReadmeQuoteTests.RepositoryRoot(), "README.md")).ReplaceLineEndings("\n");
        var section = Regex.Match(readme, @"\n## Checking coursework\n(.*?)(?=\n## |\z)", RegexOptions.Singleline);
        section.Success.Should().BeTrue("README.md should have a section \"Checking coursework\"");
        return Regex.Matches(section.Groups[1].Value, @"```csharp\n(.*?)\n```", RegexOptions.Singleline).Select(m => m.Groups[1].Value).ToList();
    }

    [Fact]
    public void CheckingCoursework_EveryCSharpSample_StandsVerbatimInCompiledCode()
    {
        string folder = Path.Combine(ReadmeQuoteTests.RepositoryRoot(), "tests", "NeuralNets.Testing.Tests");
        string compiled = string.Join(" ", Directory.GetFiles(folder, "ReadmeSamples*.cs").Order(StringComparer.Ordinal).Select(file => Normalised(File.ReadAllText(file))));

        var samples = Samples();

        samples.Should().HaveCountGreaterThanOrEqualTo(2, "the section shows a test class and a Trace");
        samples.Should().OnlyContain(sample => compiled.Contains(Normalised(sample), StringComparison.Ordinal),
            "each sample of README's \"Checking coursework\" must be copied, whitespace aside, into a tests/NeuralNets.Testing.Tests/ReadmeSamples*.cs file, where it is compiled");
    }
}
