using System.Diagnostics;
using FlashSale.Core.Purchases;
using FlashSale.Core.Sales;
using FlashSale.Redis.Batching;
using FlashSale.Redis.Catalog;
using StackExchange.Redis;

namespace FlashSale.Redis;

public sealed partial class RedisSaleStore
{
    /// <summary>
    /// Decides a purchase attempt. Unknown sales and items, attempts before the start and (without a requestId)
    /// attempts the sale's state or this gateway's sold-out flag already answers are answered here, without Redis; the
    /// rest join the sale's next batch, one script call. A <see cref="Outcome.Won"/> is written in Redis before it is
    /// returned; when Redis cannot be reached the answer is <see cref="Outcome.Busy"/>.
    /// </summary>
    public ValueTask<Decision> PurchaseAsync(string saleId, string itemId, string userId, string? requestId = null)
    {
        ArgumentNullException.ThrowIfNull(saleId);
        ArgumentNullException.ThrowIfNull(itemId);
        if (string.IsNullOrEmpty(userId) || userId.Length > SaleDefinition.MaxIdLength)
        {
            throw new ArgumentException("userId must be 1-128 characters", nameof(userId));
        }

        if (requestId is not null && requestId.Length is 0 or > 64)
        {
            throw new ArgumentException("requestId must be 1-64 characters", nameof(requestId));
        }

        return _sales.TryGetValue(saleId, out var cached)
            ? Purchase(cached, itemId, userId, requestId)
            : PurchaseUncachedAsync(saleId, itemId, userId, requestId);
    }

    /// <summary>Counts an outcome decided at the edge, before the store (<see cref="Outcome.RateLimited"/>).</summary>
    public void CountOutcome(string saleId, Outcome outcome)
    {
        if (_sales.TryGetValue(saleId, out var cached)) cached.Count(outcome);
    }

    /// <summary>
    /// Sends attempts as one batch with the given id, bypassing the batcher: what a resend after a lost reply looks
    /// like (tests). Each attempt is (item index, user id, request id).
    /// </summary>
    internal async Task<Decision[]> DecideBatchAsync(string saleId, string batchId, params (int Item, string User,
        string? Request)[] attempts)
    {
        var cached = _sales[saleId];
        var batch = new List<PendingAttempt>();
        foreach (var (item, user, request) in attempts) batch.Add(new PendingAttempt(item, user, request));
        await SendBatchAsync(cached, batch, batchId);
        return await Task.WhenAll(batch.Select(a => a.Decision));
    }

    /// <summary>Makes a batch id as the batcher would.</summary>
    internal string NextBatchId() => _batchIds.Next();

    private async ValueTask<Decision> PurchaseUncachedAsync(string saleId, string itemId, string userId,
        string? requestId)
    {
        CachedSale? cached;
        try
        {
            cached = await FindOrLoadAsync(saleId);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            return Decision.Of(Outcome.Busy);
        }

        return cached is null ? Decision.Of(Outcome.UnknownSale) : await Purchase(cached, itemId, userId, requestId);
    }

    private ValueTask<Decision> Purchase(CachedSale cached, string itemId, string userId, string? requestId)
    {
        var sale = cached.Sale;
        if (!sale.TryGetItemIndex(itemId, out var itemIndex))
        {
            return new ValueTask<Decision>(Decision.Of(Outcome.UnknownItem));
        }

        var now = NowMs;
        Outcome? early = null;
        if (sale.IsNotStarted(now))
        {
            early = Outcome.NotStarted;
        }
        else if (requestId is null)
        {
            // With a requestId Redis must answer, since a repeat has to get the first answer again. A close seen here
            // is certain (closes are never undone); one not yet seen is decided by the script.
            if (sale.IsEnded(now)) early = Outcome.Ended;
            else if (!sale.IsEligible(userId)) early = Outcome.NotEligible;
            else if (cached.IsSoldOut(itemIndex)) early = Outcome.SoldOut;
        }

        if (early is null && !_connection.IsConnected) early = Outcome.Busy;
        if (early is { } outcome)
        {
            cached.Count(outcome);
            return new ValueTask<Decision>(Decision.Of(outcome));
        }

        var attempt = new PendingAttempt(itemIndex, userId, requestId);
        if (!cached.Batcher.TryEnqueue(attempt))
        {
            cached.Count(Outcome.Busy);
            return new ValueTask<Decision>(Decision.Of(Outcome.Busy));
        }

        return new ValueTask<Decision>(attempt.Decision);
    }

    /// <summary>
    /// Sends one batch as one EVALSHA. A reply lost to a timeout or a broken connection leaves the outcome unknown: the
    /// same call, with the same batch id (so the same attempt ids) and time, is sent again, and the script answers
    /// what it decided the first time. When every try fails the attempts answer busy (a won written by a try whose
    /// reply was lost is then held
    /// for a buyer who was told busy; a retry with the same requestId gets it, else its hold expires).
    /// </summary>
    private async Task SendBatchAsync(CachedSale cached, List<PendingAttempt> batch, string? batchId = null)
    {
        var args = new RedisValue[4 + (3 * batch.Count)];
        args[0] = cached.Keys.Tag;
        args[1] = NowMs;
        args[2] = (long)_options.AttemptRetention.TotalMilliseconds;
        args[3] = batchId ?? _batchIds.Next();
        for (var i = 0; i < batch.Count; i++)
        {
            var attempt = batch[i];
            args[4 + (3 * i)] = attempt.ItemIndex;
            args[5 + (3 * i)] = attempt.UserId;
            args[6 + (3 * i)] = attempt.RequestId ?? "";
        }

        for (var attemptNumber = 0; ; attemptNumber++)
        {
            RedisResult[] reply;
            var confirmed = true;
            var started = Stopwatch.GetTimestamp();
            try
            {
                if (_replicated is null)
                {
                    reply = (RedisResult[])(await _scripts.Decide.EvaluateAsync(_database, cached.Keys.Meta, args))!;
                }
                else
                {
                    var replicated = await _replicated.DecideAsync(cached.Keys.Meta, args);
                    reply = (RedisResult[])replicated.Result!;
                    confirmed = replicated.Replicas >= _options.WaitReplicas;
                }
            }
            catch (Exception e) when (e is RedisTimeoutException or RedisConnectionException
                && attemptNumber < _options.MaxRetries)
            {
                Interlocked.Increment(ref _resends);
                if (e is RedisConnectionException) FindPrimaryAgain();
                RedisLog.BatchRetry(_logger, batch.Count, cached.Sale.Id, attemptNumber + 1, e);
                await Task.Delay(TimeSpan.FromMilliseconds(50 << attemptNumber));
                continue;
            }
            catch (Exception e) when (e is RedisException or TimeoutException or InvalidCastException)
            {
                RedisLog.BatchFailed(_logger, batch.Count, cached.Sale.Id, e);
                foreach (var attempt in batch)
                {
                    cached.Count(Outcome.Busy);
                    attempt.Complete(Decision.Of(Outcome.Busy));
                }

                return;
            }

            Interlocked.Increment(ref _batches);
            Interlocked.Add(ref _batchedAttempts, batch.Count);
            WriteObserved?.Invoke(Stopwatch.GetElapsedTime(started).TotalSeconds);

            // Flags first: a buyer told sold_out and trying again must meet the flag on this gateway.
            ApplyItems(cached, reply, batch.Count);
            if (!confirmed)
            {
                Interlocked.Increment(ref _unconfirmed);
                RedisLog.Unconfirmed(_logger, batch.Count, cached.Sale.Id, _options.WaitReplicas);
            }

            for (var i = 0; i < batch.Count; i++)
            {
                var decision = DecisionCodec.ReadAnswer((string)reply[i]!, cached.Sale, batch[i].UserId);

                // A win the replicas have not confirmed may be lost by a failover: the buyer hears busy. It stays
                // recorded (held, in the outbox): a repeat with the same requestId answers it once confirmed.
                if (!confirmed && decision.Outcome == Outcome.Won)
                {
                    cached.Count(Outcome.Busy);
                    decision = Decision.Of(Outcome.Busy);
                }

                batch[i].Complete(decision);
            }

            return;
        }
    }
}
