namespace Paxuby.Consensus.Tests.Simulation;

internal enum KeyOpKind : byte { Get, Set, Incr }

/// <summary>
/// One operation on one key as a client saw it. <see cref="ReturnTime"/> is long.MaxValue when the
/// outcome is unknown (timed out): it may have taken effect at any point after the call, or never.
/// </summary>
internal sealed record KeyOp(int ClientId, long CallTime, long ReturnTime, KeyOpKind Kind, long Input, long? Output, bool OutputKnown)
{
    public override string ToString() =>
        $"c{ClientId} [{CallTime},{(ReturnTime == long.MaxValue ? "?" : ReturnTime.ToString())}] {Kind}"
        + (Kind == KeyOpKind.Set ? $"({Input})" : "")
        + (OutputKnown ? $" -> {(Output is null ? "nil" : Output.ToString())}" : "");
}

/// <summary>
/// Linearizability of a single integer register with GET/SET/INCR, by Wing &amp; Gong's search with
/// Lowe's memoisation (as in Porcupine): walk the history in time order, linearize a call whose
/// result fits the model, backtrack at a return that has not been linearized, and never revisit a
/// (set of linearized ops, state) pair.
/// </summary>
internal static class LinearizabilityChecker
{
    public enum Verdict { Linearizable, NotLinearizable, GaveUp }

    private sealed class Node
    {
        public int Op;
        public bool IsCall;
        public Node? Prev;
        public Node? Next;
        public Node? Match;
    }

    private readonly struct CacheKey(ulong[] bits, long? state) : IEquatable<CacheKey>
    {
        private readonly ulong[] bits = bits;
        private readonly long? state = state;

        public bool Equals(CacheKey other) => state == other.state && bits.AsSpan().SequenceEqual(other.bits);

        public override bool Equals(object? obj) => obj is CacheKey other && Equals(other);

        public override int GetHashCode()
        {
            var hash = new HashCode();
            hash.Add(state);
            foreach (var word in bits)
            {
                hash.Add(word);
            }
            return hash.ToHashCode();
        }
    }

    public static Verdict Check(IReadOnlyList<KeyOp> ops, long maxSteps = 5_000_000)
    {
        var events = new List<(long Time, int Order, int Op, bool IsCall)>(ops.Count * 2);
        for (var i = 0; i < ops.Count; i++)
        {
            // At equal times calls sort before returns: treating touching operations as concurrent
            // only ever allows more orders, so it cannot invent a violation.
            events.Add((ops[i].CallTime, 0, i, true));
            events.Add((ops[i].ReturnTime, 1, i, false));
        }
        events.Sort((a, b) => a.Time != b.Time ? a.Time.CompareTo(b.Time) : a.Order != b.Order ? a.Order.CompareTo(b.Order) : a.Op.CompareTo(b.Op));

        var head = new Node { Op = -1 };
        var calls = new Node[ops.Count];
        var tail = head;
        foreach (var e in events)
        {
            var node = new Node { Op = e.Op, IsCall = e.IsCall, Prev = tail };
            tail.Next = node;
            tail = node;
            if (e.IsCall)
            {
                calls[e.Op] = node;
            }
            else
            {
                calls[e.Op].Match = node;
            }
        }

        var linearized = new ulong[(ops.Count + 63) / 64];
        var cache = new HashSet<CacheKey>();
        var stack = new Stack<(Node Entry, long? State)>();
        long? state = null;
        var entry = head.Next;
        long steps = 0;
        while (head.Next is not null)
        {
            if (++steps > maxSteps)
            {
                return Verdict.GaveUp;
            }
            if (entry is null)
            {
                return Verdict.NotLinearizable; // defensive: cannot happen with matched events
            }
            if (entry.IsCall)
            {
                var op = ops[entry.Op];
                if (TryStep(op, state, out var next))
                {
                    linearized[entry.Op / 64] |= 1UL << (entry.Op % 64);
                    if (cache.Add(new CacheKey((ulong[])linearized.Clone(), next)))
                    {
                        stack.Push((entry, state));
                        state = next;
                        Lift(entry);
                        entry = head.Next;
                        continue;
                    }
                    linearized[entry.Op / 64] &= ~(1UL << (entry.Op % 64));
                }
                entry = entry.Next;
            }
            else
            {
                if (stack.Count == 0)
                {
                    return Verdict.NotLinearizable;
                }
                var (top, previous) = stack.Pop();
                state = previous;
                linearized[top.Op / 64] &= ~(1UL << (top.Op % 64));
                Unlift(top);
                entry = top.Next;
            }
        }
        return Verdict.Linearizable;
    }

    private static bool TryStep(KeyOp op, long? state, out long? next)
    {
        switch (op.Kind)
        {
            case KeyOpKind.Get:
                next = state;
                return !op.OutputKnown || op.Output == state;
            case KeyOpKind.Set:
                next = op.Input;
                return true;
            default:
                next = (state ?? 0) + 1;
                return !op.OutputKnown || op.Output == next;
        }
    }

    private static void Lift(Node call)
    {
        call.Prev!.Next = call.Next;
        if (call.Next is not null)
        {
            call.Next.Prev = call.Prev;
        }
        var ret = call.Match!;
        ret.Prev!.Next = ret.Next;
        if (ret.Next is not null)
        {
            ret.Next.Prev = ret.Prev;
        }
    }

    private static void Unlift(Node call)
    {
        var ret = call.Match!;
        ret.Prev!.Next = ret;
        if (ret.Next is not null)
        {
            ret.Next.Prev = ret;
        }
        call.Prev!.Next = call;
        if (call.Next is not null)
        {
            call.Next.Prev = call;
        }
    }
}
