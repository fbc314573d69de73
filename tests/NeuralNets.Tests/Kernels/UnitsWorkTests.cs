using NeuralNets.Kernels;

namespace NeuralNets.Tests.Kernels;

public class UnitsWorkTests
{
    private sealed class RecordingWork(bool interleaved) : UnitsWork
    {
        public int[] Runs = [];

        protected override bool Interleaved => interleaved;

        public void Run(int units, int parts)
        {
            Runs = new int[units];
            RunUnits(units, parts);
        }

        protected override void RunUnit(int unit, int part)
        {
            Interlocked.Increment(ref Runs[unit]);
        }
    }

    [Fact]
    public void InTurns_IsTheRankOfEachRangesIndex_SoEveryUnitComesOnce()
    {
        for (int units = 1; units <= 70; units++)
            for (int parts = 1; parts <= Math.Min(units, 9); parts++)
            {
                // Every (index, range) pair in the order the turns go: index first, then range.
                var pairs = new List<(int Index, int Range)>();
                for (int range = 0; range < parts; range++)
                {
                    int count = UnitsWork.Start(units, range + 1, parts) - UnitsWork.Start(units, range, parts);
                    for (int index = 0; index < count; index++) pairs.Add((index, range));
                }
                var inTurnOrder = pairs.OrderBy(p => p.Index).ThenBy(p => p.Range)
                    .Select(p => UnitsWork.InTurns(units, parts, p.Range, p.Index)).ToArray();
                inTurnOrder.Should().Equal(Enumerable.Range(0, units), $"{units} units in {parts} parts");
            }
    }

    [Fact]
    public void InTurns_WithRangesOfEqualLength_DealsUnitsOutInTurn()
    {
        // 12 units in 3 parts: part r runs r, r + 3, r + 6, r + 9.
        for (int range = 0; range < 3; range++)
            Enumerable.Range(0, 4).Select(i => UnitsWork.InTurns(12, 3, range, i)).Should().Equal(range, range + 3, range + 6, range + 9);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void RunUnits_InRangesOrInTurns_RunsEveryUnitExactlyOnce(bool interleaved)
    {
        for (int units = 1; units <= 40; units++)
            for (int parts = 1; parts <= 5; parts++)
            {
                var work = new RecordingWork(interleaved);
                work.Run(units, parts);
                work.Runs.Should().AllBeEquivalentTo(1, $"{units} units in {parts} parts");
            }
    }
}
