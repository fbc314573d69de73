using System.Xml.Linq;

namespace NeuralNets.Testing.Tests.Templates;

/// <summary>The template pins package versions in its own project files (a student's folder has no Directory.Build.props): they must be the repository's.</summary>
public class TemplateVersionTests
{
    private static string Property(string name) =>
        XDocument.Load(Path.Combine(ReadmeQuoteTests.RepositoryRoot(), "Directory.Build.props")).Descendants(name).Single().Value;

    private static Dictionary<string, string> References(string project) =>
        XDocument.Load(Path.Combine(ReadmeQuoteTests.RepositoryRoot(), "templates/content/coursework", project))
            .Descendants("PackageReference").ToDictionary(r => r.Attribute("Include")!.Value, r => r.Attribute("Version")!.Value);

    [Fact]
    public void PackageReferences_TemplateProjects_UseTheRepositorysVersions()
    {
        References("src/Coursework/Coursework.csproj").Should().Equal(new Dictionary<string, string> { ["NeuralNets"] = Property("VersionPrefix") });
        References("tests/Coursework.Tests/Coursework.Tests.csproj").Should().Equal(new Dictionary<string, string>
        {
            ["xunit.v3"] = Property("XunitV3Version"),
            ["FluentAssertions"] = Property("FluentAssertionsVersion"),
            ["NeuralNets.Testing"] = Property("VersionPrefix"),
        });
    }
}
