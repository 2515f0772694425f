namespace FlashSale.Core.Shards;

/// <summary>
/// One sale's remembered answers on one shard, and its buyers known to be at their limit: the claim-once index that
/// the shard and the edge share. Whoever answers a key first claims it (<see cref="TryClaim"/>), so a key is decided
/// once whoever answers it; the shard marks a key <see cref="RememberedAnswer.Deciding"/> while it decides it, and
/// the edge never answers a key so marked. Safe to use from any thread: a short lock guards each call.
/// </summary>
public sealed class SaleAnswers
{
    private readonly Lock _lock = new();

    // Keys and packed answers only: no references, so the GC never has to trace millions of remembered answers.
    private readonly Dictionary<AnswerKey, int> _answers = [];
    private readonly HashSet<string> _atLimit = new(StringComparer.Ordinal);

    /// <summary>How many answers are remembered (claims being decided included).</summary>
    public int Count
    {
        get
        {
            lock (_lock) return _answers.Count;
        }
    }

    /// <summary>The answer remembered for <paramref name="key"/>, if any (possibly still being decided).</summary>
    public bool TryGet(AnswerKey key, out RememberedAnswer answer)
    {
        int packed;
        bool found;
        lock (_lock) found = _answers.TryGetValue(key, out packed);
        answer = found ? RememberedAnswer.Unpack(packed) : default;
        return found;
    }

    /// <summary>
    /// Claims <paramref name="key"/> with <paramref name="answer"/> if nobody has; otherwise returns false and the
    /// answer (or mark) already there in <paramref name="earlier"/>.
    /// </summary>
    public bool TryClaim(AnswerKey key, RememberedAnswer answer, out RememberedAnswer earlier)
    {
        lock (_lock)
        {
            if (_answers.TryGetValue(key, out var packed))
            {
                earlier = RememberedAnswer.Unpack(packed);
                return false;
            }

            _answers.Add(key, answer.Pack());
        }

        earlier = default;
        return true;
    }

    /// <summary>True when the buyer is known to hold their limit of live reservations in the sale.</summary>
    public bool IsAtLimit(string userId)
    {
        lock (_lock) return _atLimit.Contains(userId);
    }

    /// <summary>Records an answer (over a <see cref="RememberedAnswer.Deciding"/> mark, never an answer).</summary>
    internal void Set(AnswerKey key, RememberedAnswer answer)
    {
        lock (_lock)
        {
            if (_answers.TryGetValue(key, out var packed) && RememberedAnswer.Unpack(packed).IsDecided) return;
            _answers[key] = answer.Pack();
        }
    }

    /// <summary>Removes a <see cref="RememberedAnswer.Deciding"/> mark whose decision is not remembered.</summary>
    internal void Unmark(AnswerKey key)
    {
        lock (_lock)
        {
            if (_answers.TryGetValue(key, out var packed) && !RememberedAnswer.Unpack(packed).IsDecided)
            {
                _answers.Remove(key);
            }
        }
    }

    internal void SetAtLimit(string userId, bool atLimit)
    {
        lock (_lock)
        {
            if (atLimit) _atLimit.Add(userId);
            else _atLimit.Remove(userId);
        }
    }

    /// <summary>A copy of the decided answers (snapshots, tests).</summary>
    internal List<KeyValuePair<AnswerKey, RememberedAnswer>> Decided()
    {
        var result = new List<KeyValuePair<AnswerKey, RememberedAnswer>>();
        lock (_lock)
        {
            foreach (var (key, packed) in _answers)
            {
                var answer = RememberedAnswer.Unpack(packed);
                if (answer.IsDecided) result.Add(new(key, answer));
            }
        }

        return result;
    }
}
