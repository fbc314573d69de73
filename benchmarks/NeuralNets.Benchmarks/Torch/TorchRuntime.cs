#if WITH_TORCH
using TorchSharp;

namespace NeuralNets.Benchmarks.Torch;

/// <summary>Prepares TorchSharp once per process: the libstdc++ fix, then two intra-op threads (the machine's cores).</summary>
internal static class TorchRuntime
{
    private static readonly Lazy<string> Prepared = new(() =>
    {
        string patch = GlibcxxVersionPatch.ApplyIfNeeded();
        torch.set_num_threads(Environment.ProcessorCount);
        torch.manual_seed(1);
        return patch;
    });

    /// <summary>Idempotent; returns what the libstdc++ fix did.</summary>
    public static string Prepare() => Prepared.Value;
}
#endif
