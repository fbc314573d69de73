using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace NeuralNets.Benchmarks;

/// <summary>
/// The configuration every suite runs under: BenchmarkDotNet's short run, in process (the
/// TorchSharp build output is 1.1 GB, which an out-of-process toolchain would copy per run), with
/// allocations counted, medians shown and ratios against the TorchSharp baseline of each group.
/// </summary>
internal static class BenchmarkConfig
{
    public static IConfig Create(Job job) =>
        DefaultConfig.Instance
            .AddJob(job.WithToolchain(InProcessEmitToolchain.Instance))
            .AddDiagnoser(MemoryDiagnoser.Default)
            .AddColumn(StatisticColumn.Median)
            .AddLogicalGroupRules(BenchmarkLogicalGroupRule.ByCategory, BenchmarkLogicalGroupRule.ByParams)
            .WithSummaryStyle(SummaryStyle.Default.WithRatioStyle(RatioStyle.Trend));
}
