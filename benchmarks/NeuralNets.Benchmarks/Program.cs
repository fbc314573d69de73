using BenchmarkDotNet.Running;
using NeuralNets.Benchmarks;

// quick: a few-second smoke timing of the matrix multiply kernel.
// --long: BenchmarkDotNet's default job instead of its short run.
// Anything else goes to BenchmarkDotNet (e.g. --filter '*Mlp*').
if (args.Length > 0 && args[0] == "quick")
{
    if (args.Length > 1) QuickMlpTimer.Run(int.Parse(args[1])); else QuickTimer.Run();
    return;
}
#if WITH_TORCH
Console.WriteLine(NeuralNets.Benchmarks.Torch.TorchRuntime.Prepare());
#endif
bool longRun = args.Contains("--long");
BenchmarkSwitcher.FromAssembly(typeof(QuickTimer).Assembly)
    .Run(args.Where(a => a != "--long").ToArray(), BenchmarkConfig.Create(shortRun: !longRun));
