using NeuralNets.Kernels;

namespace NeuralNets.Tests.Kernels;

public class WorkerTeamTests
{
    private sealed class CountingWork : TeamWork
    {
        public readonly int[] Runs = new int[32];
        public int PartsSeen = -1;

        public override void RunPart(int part, int parts)
        {
            Interlocked.Increment(ref Runs[part]);
            PartsSeen = parts;
        }
    }

    [Fact]
    public void Run_EveryPartCount_RunsEachPartExactlyOnce()
    {
        for (int parts = 1; parts <= 31; parts++)
        {
            for (int repeat = 0; repeat < 50; repeat++)
            {
                var work = new CountingWork();
                WorkerTeam.Run(work, parts);
                work.Runs.Take(parts).Should().AllBeEquivalentTo(1, $"{parts} parts, repeat {repeat}");
                work.Runs.Skip(parts).Should().AllBeEquivalentTo(0);
                work.PartsSeen.Should().Be(parts);
            }
        }
    }

    [Fact]
    public void Run_AfterTheWorkersFellAsleep_StillRunsEveryPart()
    {
        WorkerTeam.Run(new CountingWork(), 2);
        Thread.Sleep(50); // well past the spin time: the workers are asleep now
        var work = new CountingWork();
        WorkerTeam.Run(work, 2);
        work.Runs.Take(2).Should().AllBeEquivalentTo(1);
    }

    private sealed class ThrowingWork(int failingPart) : TeamWork
    {
        public int Completed;

        public override void RunPart(int part, int parts)
        {
            if (part == failingPart) throw new InvalidOperationException($"part {part} failed");
            Interlocked.Increment(ref Completed);
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void Run_PartThrows_CallerGetsTheExceptionAndTheTeamStaysUsable(int failingPart)
    {
        var failing = new ThrowingWork(failingPart);
        var act = () => WorkerTeam.Run(failing, 3);
        act.Should().Throw<InvalidOperationException>().WithMessage($"part {failingPart} failed");
        failing.Completed.Should().Be(2, "the other parts still run");

        var work = new CountingWork();
        WorkerTeam.Run(work, 3);
        work.Runs.Take(3).Should().AllBeEquivalentTo(1);
    }

    private sealed class NestingWork : TeamWork
    {
        public readonly CountingWork[] Inner = [new(), new(), new()];

        public override void RunPart(int part, int parts) => WorkerTeam.Run(Inner[part], 4);
    }

    [Fact]
    public void Run_PartStartsAJobItself_InnerJobRunsCompletely()
    {
        var outer = new NestingWork();
        WorkerTeam.Run(outer, 3);
        foreach (var inner in outer.Inner) inner.Runs.Take(4).Should().AllBeEquivalentTo(1);
    }

    [Fact]
    public void Run_FromManyThreadsAtOnce_EveryJobRunsEachPartOnce()
    {
        var failures = 0;
        var threads = Enumerable.Range(0, 6).Select(_ => new Thread(() =>
        {
            for (int job = 0; job < 2000; job++)
            {
                var work = new CountingWork();
                WorkerTeam.Run(work, 1 + job % 4);
                for (int part = 0; part < 32; part++)
                    if (work.Runs[part] != (part < 1 + job % 4 ? 1 : 0)) Interlocked.Increment(ref failures);
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        failures.Should().Be(0);
    }
}
