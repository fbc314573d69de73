using BenchmarkDotNet.Running;
using NeuralNets.Benchmarks;

if (args.Length > 0 && args[0] == "quick")
{
    QuickTimer.Run();
    return;
}
BenchmarkSwitcher.FromAssembly(typeof(QuickTimer).Assembly).Run(args);
