using Paxuby.Consensus.Tests.Simulation;
using static Paxuby.Consensus.Tests.Simulation.LinearizabilityChecker;

namespace Paxuby.Consensus.Tests;

/// <summary>The checker must say no to hand-written non-linearizable histories, and yes to tricky valid ones.</summary>
public sealed class LinearizabilityCheckerTests
{
    private const long Unknown = long.MaxValue;

    private static KeyOp Set(long call, long ret, long value) => new(1, call, ret, KeyOpKind.Set, value, null, ret != Unknown);
    private static KeyOp Get(long call, long ret, long? value) => new(2, call, ret, KeyOpKind.Get, 0, value, true);
    private static KeyOp Incr(long call, long ret, long? value) => new(3, call, ret, KeyOpKind.Incr, 0, value, value is not null);

    [Fact]
    public void Stale_read_after_a_completed_write_is_not_linearizable() =>
        Assert.Equal(Verdict.NotLinearizable, Check([Set(0, 10, 1), Get(20, 30, null)]));

    [Fact]
    public void Read_concurrent_with_a_write_may_see_either_value()
    {
        Assert.Equal(Verdict.Linearizable, Check([Set(0, 30, 1), Get(10, 20, null)]));
        Assert.Equal(Verdict.Linearizable, Check([Set(0, 30, 1), Get(10, 20, 1)]));
    }

    [Fact]
    public void Two_increments_cannot_both_return_one() =>
        Assert.Equal(Verdict.NotLinearizable, Check([Incr(0, 30, 1), Incr(10, 40, 1)]));

    [Fact]
    public void A_read_that_goes_back_in_time_is_not_linearizable() =>
        Assert.Equal(Verdict.NotLinearizable, Check([Set(0, 10, 1), Set(20, 30, 2), Get(40, 50, 2), Get(60, 70, 1)]));

    [Fact]
    public void Lost_increment_is_not_linearizable() =>
        Assert.Equal(Verdict.NotLinearizable, Check([Incr(0, 10, 1), Incr(20, 30, 2), Get(40, 50, 1)]));

    [Fact]
    public void Timed_out_write_may_take_effect_late_or_never()
    {
        Assert.Equal(Verdict.Linearizable, Check([Set(0, Unknown, 5), Get(10, 20, null), Get(30, 40, 5)]));
        Assert.Equal(Verdict.Linearizable, Check([Set(0, Unknown, 5), Get(10, 20, null), Get(30, 40, null)]));
        Assert.Equal(Verdict.Linearizable, Check([Incr(0, Unknown, null), Incr(10, 20, 1)]));
    }

    [Fact]
    public void Timed_out_write_seen_once_cannot_be_unseen() =>
        Assert.Equal(Verdict.NotLinearizable, Check([Set(0, Unknown, 5), Get(10, 20, 5), Get(30, 40, null)]));

    [Fact]
    public void Reordered_concurrent_writes_must_agree_with_every_read()
    {
        // Writes 1 and 2 overlap; readers see 2 then 1 then 2: no single order explains it.
        Assert.Equal(Verdict.NotLinearizable, Check([Set(0, 100, 1), Set(0, 100, 2), Get(10, 20, 2), Get(30, 40, 1), Get(50, 60, 2)]));
        Assert.Equal(Verdict.Linearizable, Check([Set(0, 100, 1), Set(0, 100, 2), Get(10, 20, 2), Get(30, 40, 1), Get(50, 60, 1)]));
    }
}
