using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace FlashSale.Crowd;

/// <summary>The figures: the live snapshot and the final result.</summary>
internal sealed partial class CrowdRunner
{
    private ProgressSnapshot Snapshot()
    {
        var answers = new long[CrowdOutcomes.Count];
        foreach (var outcome in CrowdOutcomes.All) answers[(int)outcome] = _recorder.Count(outcome);
        var timeline = _recorder.BySecond.Count > 0 ? _recorder.BySecond : _recorder.Fine;
        var last = timeline.Count > 0 ? timeline[^1] : null;
        var remaining = Volatile.Read(ref _remaining);
        return new ProgressSnapshot(
            _recorder.Seconds(Stopwatch.GetTimestamp()),
            answers,
            last is null || last.Interval <= 0 ? 0 : last.Total / last.Interval,
            last?.P50Ms ?? 0,
            last?.P99Ms ?? 0,
            remaining >= 0 ? remaining : null,
            Volatile.Read(ref _through),
            _population.Count);
    }

    private IEnumerable<BuyerFate> Fates()
    {
        for (var i = 0; i < _population.Count; i++)
        {
            var buyer = _population.Buyers[i];
            yield return new BuyerFate(_population.IsBot(i), buyer.Wins > 0, buyer.Blocked);
        }
    }

    private CrowdResult Result(
        ClockOffset clock,
        List<CrowdWin> wins,
        List<ExportedReservation>? export,
        ServerStats? stats,
        Verification verification,
        TimeSpan cpu,
        TimeSpan wall,
        long peakWorkingSet,
        int neverClicked,
        int stillWaiting)
    {
        var outcomes = new Dictionary<string, long>(StringComparer.Ordinal);
        long requests = 0;
        foreach (var outcome in CrowdOutcomes.All)
        {
            var count = _recorder.Count(outcome);
            requests += count;
            if (count > 0) outcomes[outcome.Word()] = count;
        }

        var first = _recorder.FirstSend;
        var seconds = first is { } f && _recorder.LastAnswer > f
            ? (double)(_recorder.LastAnswer - f) / Stopwatch.Frequency
            : 0;
        var peak = _recorder.PeakSecond;

        // Per item: distinct reservations announced, live ones exported, and whether anyone heard sold_out.
        var items = new List<ItemResult>(_sale.Items.Count);
        var announced = new HashSet<string>(StringComparer.Ordinal);
        var wonPerItem = new long[_sale.Items.Count];
        foreach (var win in wins)
        {
            if (announced.Add(win.ReservationId)) wonPerItem[win.Item]++;
        }

        var allSoldOut = true;
        for (var i = 0; i < _sale.Items.Count; i++)
        {
            var item = _sale.Items[i];
            long? exported = null;
            if (export is not null)
            {
                long live = 0;
                foreach (var reservation in export)
                {
                    if (reservation.IsLive && reservation.ItemId == item.Id) live++;
                }

                exported = live;
            }

            var soldOut = Volatile.Read(ref _soldOutSeen[i]);
            allSoldOut &= soldOut || item.Stock == 0;
            items.Add(new ItemResult(item.Id, item.Stock, _population.BuyersOf(i), wonPerItem[i], exported, soldOut));
        }

        // Sold out when every item answered sold_out: the last unit went with the last won answer.
        double? sellOut = allSoldOut && _recorder.LastWin > 0 ? _recorder.Seconds(_recorder.LastWin) : null;
        // The server's soldOutAt on the same zero as every other time of the run (the crowd's start when it came late).
        double? serverSellOut = stats?.SoldOutAt is { } at
            ? (at - _sale.StartsAt - (_openFor ?? TimeSpan.Zero)).TotalSeconds
            : null;
        var cores = Environment.ProcessorCount;
        var client = new ClientCost(
            cpu.TotalSeconds,
            requests == 0 ? 0 : cpu.TotalMicroseconds / requests,
            wall.TotalSeconds <= 0 ? 0 : cpu.TotalSeconds / (wall.TotalSeconds * cores),
            cores,
            peakWorkingSet / 1048576.0,
            (double)_population.Count * Unsafe.SizeOf<SimulatedBuyer>() / 1048576.0,
            ServerInProcess);
        var run = new RunInfo(
            _url.ToString(), _sale.Id, _population.Count, _population.BotCount, _settings.Connections,
            _settings.Rate is null ? "closed" : "open",
            _settings.Rate, _settings.Duration?.TotalSeconds, _settings.Retries, _settings.BotClicks, _sale.StartsAt,
            clock.Offset.TotalMilliseconds, clock.RoundTrip.TotalMilliseconds, Environment.MachineName,
            _settings.Verb == CrowdVerb.Rehearse ? "rehearse" : "crowd",
            _settings.ServerRateLimit, _openFor?.TotalSeconds,
            _settings.Verb != CrowdVerb.Rehearse ? null
                : _settings.Admission ? $"waiting room, {_settings.AdmitRate:N0} admitted/s" : "none")
        {
            Gateways = _gateways.Count == 1 ? null : GatewayShares(),
        };
        return new CrowdResult(
            run, _sale, requests, seconds, seconds > 0 ? requests / seconds : 0, peak,
            LatencySummary.Of(_recorder.Latency), LatencySummary.Of(_recorder.Service),
            outcomes, new Dictionary<string, long>(_recorder.Errors, StringComparer.Ordinal),
            new BuyerCounts(
                _population.Count, _population.BotCount, _through, _winners, _gaveUp, neverClicked, stillWaiting),
            sellOut, serverSellOut, client, items, stats, _recorder.Resolution, [.. _recorder.Timeline], verification,
            Fairness.Of(Fates()));
    }

    private List<GatewayShare> GatewayShares()
    {
        var shares = new List<GatewayShare>(_gateways.Count);
        for (var i = 0; i < _gateways.Count; i++)
        {
            shares.Add(new GatewayShare(_gateways[i].ToString(), Interlocked.Read(ref _answersByGateway[i])));
        }

        return shares;
    }
}
