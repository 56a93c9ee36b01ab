using System.Collections;

namespace OpenAIImages.FakeApi.Faults;

/// <summary>
/// The fault rules, safe to change while requests are in flight. It is a collection (Add + IEnumerable) so
/// <c>new FakeServerOptions { Faults = { rule } }</c> works; enumeration walks a snapshot.
/// </summary>
public sealed class FaultRuleList : IEnumerable<FaultRule>
{
    private readonly object _gate = new();
    private FaultRule[] _rules = Array.Empty<FaultRule>();

    public void Add(FaultRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        lock (_gate) _rules = _rules.Append(rule).ToArray();
    }

    public bool Remove(FaultRule rule)
    {
        lock (_gate)
        {
            int before = _rules.Length;
            _rules = _rules.Where(r => !ReferenceEquals(r, rule)).ToArray();
            return _rules.Length != before;
        }
    }

    public void Clear()
    {
        lock (_gate) _rules = Array.Empty<FaultRule>();
    }

    public int Count => Volatile.Read(ref _rules).Length;

    public IReadOnlyList<FaultRule> Snapshot() => Volatile.Read(ref _rules);

    public IEnumerator<FaultRule> GetEnumerator() => ((IEnumerable<FaultRule>)Snapshot()).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
