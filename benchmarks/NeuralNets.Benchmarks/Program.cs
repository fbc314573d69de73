using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using NeuralNets.Benchmarks;

// quick: a few-second smoke timing of the matrix multiply kernel (quick N: the parts of an MLP step at batch N).
// race [mlp|lenet|batch 64…]: both libraries' training steps in one process, taking turns, ratio per round (TorchSharp builds only).
// shapes [SHAPE BATCH…]: the same race over MLPs of any shape, e.g. shapes 784-300r-100r-10 64 (TorchSharp builds only; see ShapeRace).
// golden: prints tests/NeuralNets.Tests/Golden/TorchGoldenValues.cs, float64 values from libtorch (TorchSharp builds only).
// torchmm: plain timing of torch.mm at the matrix multiply shapes (TorchSharp builds only).
// convparts [batch]: each convolution pass of LeNet's two layers with and without unfolding, one thread (PARTS=1 adds the pieces of the unfolded path).
// convlayer CIN COUT KERNEL PADDING SIZE BATCH [THREADS]: one convolution layer's forward and backward medians and GFLOP/s (ConvLayerTimer).
// batchnorm CHANNELS SIZE BATCH: one BatchNorm2D layer's training forward and backward medians (EVICT=1: its tensors from memory, as in a step).
// convsplit CIN COUT KERNEL PADDING SIZE BATCH: a backward pass split inside its chunks against whole chunks, taking turns (ConvSplitRace).
// cnns [keras|cifar|cifarbn|lenet5|vgg]: the race over CNNs larger than LeNet, LeNet-5 as LeCun built it and a VGG-style CIFAR network (TorchSharp builds only; see ConvNetRace).
// firstsecond [mlp|lenet|dropout|mse|cifarbn]: a fresh process's first second of batch-64 training steps against its steady state.
// fit [batch] [images]: Trainer.Fit's epoch against bare optimizer steps and the batches gathered alone, per step (TrainerOverhead).
// peak: the fp32 FMA peak of this machine (register-only loop), one thread and all cores.
// timeline [mlp|lenet|keras|cifar|cifarbn|vgg] [batch]: the team's jobs in a training step, job by job: how long each ran, each core's part, the calling thread's time between them.
// scaling: one product on one thread, split across the team, and two one-thread products side by side, alternated (SHAPES as for quick).
// handoff: an empty team job and an elementwise pass of growing length, on one thread and on the team.
// predict: batch-1 Predict throughput of one shared network from one thread and from two.
// fashion [directory]: Fashion-MNIST CNN to 0.90 test accuracy, wall time against TorchSharp.
// onnx: Predict against ONNX Runtime on the exported model, MLP and LeNet, batch 1 and 64, taking turns within each round (ONNX Runtime builds only: -p:WithOnnx=true).
// --long: BenchmarkDotNet's default job instead of its short run; --dry: one pass, to check the suites run.
// Anything else goes to BenchmarkDotNet (e.g. --filter '*Mlp*').
// Every mode ends with the share of CPU time the hypervisor took during the run (Linux), to read the figures by.
using var steal = new StealReport();
if (args.Length > 0 && args[0] == "quick")
{
    if (args.Length > 1) QuickMlpTimer.Run(int.Parse(args[1])); else QuickTimer.Run();
    return;
}
if (args.Length > 0 && args[0] == "fit")
{
    TrainerOverhead.Run(args[1..]);
    return;
}
if (args.Length > 0 && args[0] == "timeline")
{
    TeamTimelineReport.Run(args.Length > 1 ? args[1] : "mlp", args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 256);
    return;
}
if (args.Length > 0 && args[0] == "lenet")
{
    QuickLeNetTimer.Run(args.Length > 1 ? int.Parse(args[1]) : 64);
    return;
}
if (args.Length > 0 && args[0] == "batchnorm")
{
    BatchNormTimer.Run(args[1..]);
    return;
}
if (args.Length > 0 && args[0] == "convlayer")
{
    ConvLayerTimer.Run(args[1..]);
    return;
}
if (args.Length > 0 && args[0] == "convsplit")
{
    ConvSplitRace.Run(args[1..]);
    return;
}
if (args.Length > 0 && args[0] == "convparts")
{
    QuickConvParts.Run(args.Length > 1 ? int.Parse(args[1]) : 64);
    return;
}
if (args.Length > 0 && args[0] == "firstsecond" && args.Length > 2)
{
    FirstSecondProcesses.Run(args[1], int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture));
    return;
}
if (args.Length > 0 && args[0] == "firstsecond")
{
    FirstSecond.Run(args.Length > 1 ? args[1] : "mlp");
    return;
}
if (args.Length > 0 && args[0] == "peak")
{
    FmaPeak.Run();
    return;
}
if (args.Length > 0 && args[0] == "scaling")
{
    ScalingProbe.Run();
    return;
}
if (args.Length > 0 && args[0] == "handoff")
{
    HandOffProbe.Run();
    return;
}
if (args.Length > 0 && args[0] == "predict")
{
    PredictThroughput.Run();
    return;
}
if (args.Length > 0 && args[0] == "fashion")
{
    FashionMnistRace.Run(args.Length > 1 ? args[1] : NeuralNets.Data.FashionMnist.DefaultDirectory);
    return;
}
#if WITH_ONNX
if (args.Length > 0 && args[0] == "onnx")
{
    OnnxRuntimeRace.Run(args.Length > 1 ? args[1] : NeuralNets.Data.FashionMnist.DefaultDirectory);
    return;
}
#endif
#if WITH_TORCH
if (args.Length > 0 && args[0] == "race")
{
    StepRace.Run(args[1..]);
    return;
}
if (args.Length > 0 && args[0] == "shapes")
{
    ShapeRace.Run(args[1..]);
    return;
}
if (args.Length > 0 && args[0] == "cnns")
{
    ConvNetRace.Run(args[1..]);
    return;
}
if (args.Length > 0 && args[0] == "torchmm")
{
    NeuralNets.Benchmarks.Torch.TorchMatMulProbe.Run();
    return;
}
if (args.Length > 0 && args[0] == "golden")
{
    NeuralNets.Benchmarks.Torch.GoldenValues.Run();
    return;
}
Console.WriteLine(NeuralNets.Benchmarks.Torch.TorchRuntime.Prepare());
#endif
var job = args.Contains("--long") ? Job.Default : args.Contains("--dry") ? Job.Dry : Job.ShortRun;
BenchmarkSwitcher.FromAssembly(typeof(QuickTimer).Assembly)
    .Run(args.Where(a => a is not ("--long" or "--dry")).ToArray(), BenchmarkConfig.Create(job));
