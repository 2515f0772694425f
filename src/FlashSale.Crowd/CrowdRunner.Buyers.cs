using System.Diagnostics;

namespace FlashSale.Crowd;

/// <summary>
/// The buyers' side: workers take due buyers from the schedule, click, and decide what each does next.
/// </summary>
internal sealed partial class CrowdRunner
{
    /// <summary>Answers <c>not_started</c> a buyer tolerates (clock skew) before it counts as an error.</summary>
    private const int MaxEarlyAnswers = 200;

    /// <summary>Accounts a bot farm runs from one address.</summary>
    private const int AccountsPerBotAddress = 100;

    /// <summary>
    /// One worker per connection, sending to one gateway: a closed loop takes the next buyer as soon as an answer is
    /// in.
    /// </summary>
    private async Task WorkAsync(RequestSlot slot, int gateway)
    {
        while (true)
        {
            var now = Stopwatch.GetTimestamp();
            if (!_schedule.TryTake(now, out var buyer, out var intended, out var wait, out var finished))
            {
                if (finished) return;
                await Task.Delay(TimeSpan.FromTicks(Math.Max(1, wait * TimeSpan.TicksPerSecond / Stopwatch.Frequency)));
                continue;
            }

            long? next = null;
            try
            {
                next = await ClickAsync(buyer, intended, slot, gateway);
            }
            finally
            {
                _schedule.Complete(buyer, next);
            }
        }
    }

    /// <summary>One click (or retry) of a buyer; returns when it clicks next, or null when it is done.</summary>
    private async Task<long?> ClickAsync(int buyer, long intended, RequestSlot slot, int gateway)
    {
        var state = _population.Buyers[buyer];
        if (state.Phase == BuyerPhase.Arriving)
        {
            state.Phase = BuyerPhase.Trying;
            state.Clicks = 1;
            _population.Buyers[buyer] = state;
        }

        var userId = BuyerPopulation.UserId(buyer);
        var item = _population.ItemOf(buyer);
        var requestId = string.Concat(
            userId, "-", state.Clicks.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var bearer = _tokens.Bearer(userId, _tokensExpire);
        var sent = Stopwatch.GetTimestamp();
        PurchaseAnswer answer;
        try
        {
            answer = await _client.PurchaseAsync(
                gateway, bearer, item, requestId, slot.Begin(sent), ForwardedFor(buyer, _population.IsBot(buyer)));
        }
        finally
        {
            slot.End();
        }

        var answered = Stopwatch.GetTimestamp();
        if (answer.Status != 0) Interlocked.Increment(ref _answersByGateway[gateway]);
        _recorder.Record(answer, intended, sent, answered);
        return Follow(buyer, item, answer, answered);
    }

    /// <summary>
    /// What the buyer does after an answer: humans stop at a decision and wait as told; bots do neither.
    /// </summary>
    private long? Follow(int buyer, int item, in PurchaseAnswer answer, long now)
    {
        ref var state = ref _population.Buyers[buyer];
        var bot = _population.IsBot(buyer);
        var outcome = answer.Outcome;
        if (outcome == CrowdOutcome.Blocked) state.Blocked = true;
        if (outcome == CrowdOutcome.Waiting)
        {
            // A place in the waiting room is no failure: come back when the turn is due (people a little later, at
            // random; bots on the dot), without spending a retry.
            var eta = bot ? answer.RetryAfter : answer.RetryAfter * (1 + (Random.Shared.NextDouble() * 0.1));
            return now + Ticks(eta);
        }

        if (outcome == CrowdOutcome.Won)
        {
            lock (_winsGate)
            {
                _wins.Add(new CrowdWin(buyer, item, answer.ReservationId!, answer.UserId!, answer.ItemId!));
            }
            if (state.Wins == 0) Interlocked.Increment(ref _winners);
            if (state.Wins < byte.MaxValue) state.Wins++;
        }
        else if (outcome == CrowdOutcome.SoldOut)
        {
            Volatile.Write(ref _soldOutSeen[item], true);
        }

        if (outcome.IsFinal())
        {
            if (state.Phase is BuyerPhase.Trying or BuyerPhase.GaveUp)
            {
                if (state.Phase == BuyerPhase.GaveUp) Interlocked.Decrement(ref _gaveUp);
                state.Phase = BuyerPhase.Through;
                state.FirstAnswer = outcome;
                Interlocked.Increment(ref _through);
            }

            return NextClick(ref state, bot, now);
        }

        if (outcome == CrowdOutcome.NotStarted && state.EarlyAnswers < MaxEarlyAnswers)
        {
            state.EarlyAnswers++;

            // A bot fires again at the start to the millisecond. A person who opened the page early waits for the
            // button and clicks after a human reaction time; one whose clock is off by a little tries again shortly.
            if (bot) return Math.Max(now + Ticks(TimeSpan.FromMilliseconds(1)), _start);
            return now < _start
                ? _start + Ticks(TimeSpan.FromMilliseconds(100 + Random.Shared.Next(500)))
                : now + Ticks(TimeSpan.FromMilliseconds(10 + Random.Shared.Next(20)));
        }

        if (state.Retries < _settings.Retries)
        {
            state.Retries++;
            var wait = outcome switch
            {
                CrowdOutcome.Busy or CrowdOutcome.RateLimited when !bot =>
                    answer.RetryAfter * (1 + (Random.Shared.NextDouble() * 0.2)),
                CrowdOutcome.Busy or CrowdOutcome.RateLimited => TimeSpan.Zero,
                _ => TimeSpan.FromMilliseconds(100 + Random.Shared.Next(100)),
            };
            return now + Ticks(wait);
        }

        if (state.Phase == BuyerPhase.Trying)
        {
            state.Phase = BuyerPhase.GaveUp;
            Interlocked.Increment(ref _gaveUp);
        }

        return NextClick(ref state, bot, now);
    }

    /// <summary>Bots keep clicking (a new request id each time) after they have their answer.</summary>
    private long? NextClick(ref SimulatedBuyer state, bool bot, long now)
    {
        if (!bot || state.Clicks > _settings.BotClicks || state.Clicks == ushort.MaxValue) return null;
        state.Clicks++;
        state.Retries = 0;
        return now;
    }

    /// <summary>
    /// The buyer's address as a trusting proxy would forward it: a person has its own, a bot farm runs
    /// <see cref="AccountsPerBotAddress"/> accounts from one.
    /// </summary>
    private static string ForwardedFor(int buyer, bool bot)
    {
        var n = bot ? buyer / (AccountsPerBotAddress * 10) : buyer;
        return string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"{(bot ? 10 : 100)}.{(bot ? 66 : 64 + ((n >> 16) & 63))}.{(n >> 8) & 255}.{n & 255}");
    }

    private static long Ticks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);
}
