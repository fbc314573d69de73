using System.Globalization;

namespace NeuralNets.Tests;

/// <summary>Sets the current culture for a test's scope and puts the old one back: <c>using var _ = CultureScope.Of("de-DE");</c>.</summary>
internal sealed class CultureScope : IDisposable
{
    private readonly CultureInfo _saved = CultureInfo.CurrentCulture;

    private CultureScope(string name) => CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo(name);

    public static CultureScope Of(string name) => new(name);

    public void Dispose() => CultureInfo.CurrentCulture = _saved;
}
