namespace NeuralNets;

/// <summary>
/// Whether a type is the library's own: only its own layers, activations and optimizers are known to keep the promises
/// the fused passes, the warm-up's rehearsals and the parameters-only backward pass rely on (a user's type may do more
/// than it declares).
/// </summary>
internal static class LibraryCode
{
    /// <summary>Whether <paramref name="type"/> is declared in this library.</summary>
    public static bool Declares(Type type) => type.Assembly == typeof(LibraryCode).Assembly;
}
