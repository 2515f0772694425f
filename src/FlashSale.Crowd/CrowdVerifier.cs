using System.Globalization;
using System.Text;

namespace FlashSale.Crowd;

/// <summary>
/// Checks a run against the contract's invariants, from what the crowd was told and what the admin export says:
/// no unit oversold, nobody over the limit, every <c>won</c> in the export, winners = min(stock, buyers) per item when
/// every buyer got a decision, every request answered; and counts the reservations nobody was told about.
/// </summary>
internal static class CrowdVerifier
{
    public const string NoOversell = "No unit oversold";
    public const string WithinLimit = "Nobody over the limit";
    public const string WinsExported = "Every won is in the export";
    public const string Winners = "Winners = min(stock, buyers)";
    public const string AllAnswered = "Every request answered";
    public const string Unannounced = "Reservations nobody was told about";

    private const int Shown = 5;

    public static Verification Verify(VerificationInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var sale = input.Sale;

        Dictionary<string, ExportedReservation>? exported = null;
        var duplicateExports = new List<string>();
        if (input.Export is { } export)
        {
            exported = new Dictionary<string, ExportedReservation>(export.Count, StringComparer.Ordinal);
            foreach (var reservation in export)
            {
                if (!exported.TryAdd(reservation.Id, reservation)) duplicateExports.Add(reservation.Id);
            }
        }

        // Distinct reservations the crowd was told about; the same id told to two buyers, or naming another buyer or
        // item than the one asked for, is a wrong answer.
        var told = new Dictionary<string, CrowdWin>(StringComparer.Ordinal);
        var wrongAnswers = new List<string>();
        foreach (var win in input.Wins)
        {
            var asker = BuyerPopulation.UserId(win.Buyer);
            var askedItem = sale.Items[win.Item].Id;
            if (win.UserId != asker || win.ItemId != askedItem)
            {
                wrongAnswers.Add(
                    $"{asker} asked for {askedItem} and was told won with reservation {win.ReservationId} " +
                    $"of {win.UserId} for {win.ItemId}");
            }

            if (told.TryGetValue(win.ReservationId, out var earlier))
            {
                if (earlier.Buyer != win.Buyer)
                {
                    wrongAnswers.Add(
                        $"reservation {win.ReservationId} was announced to {BuyerPopulation.UserId(earlier.Buyer)} " +
                        $"and to {asker}");
                }
            }
            else
            {
                told.Add(win.ReservationId, win);
            }
        }

        // A told reservation still holds its unit unless the export says it was cancelled or expired.
        bool StillLive(string reservationId) =>
            exported is null || !exported.TryGetValue(reservationId, out var r) || r.IsLive;

        var checks = new List<CheckResult>
        {
            CheckOversell(sale, exported, told.Values, StillLive),
            CheckLimit(sale, exported, told.Values, StillLive),
            CheckExported(exported, told.Values, wrongAnswers, duplicateExports),
            CheckWinners(input, exported, told.Values, StillLive),
            CheckAnswered(input.Errors),
        };
        var unannounced = 0;
        if (exported is not null)
        {
            var samples = new List<string>();
            foreach (var reservation in exported.Values)
            {
                if (told.ContainsKey(reservation.Id)) continue;
                unannounced++;
                if (samples.Count < Shown)
                {
                    samples.Add($"{reservation.Id} ({reservation.UserId}, {reservation.ItemId}, {reservation.Status})");
                }
            }

            checks.Add(new CheckResult(Unannounced, CheckStatus.Info, unannounced == 0
                ? "none: every reservation in the export was announced to its buyer"
                : $"{N(unannounced)} in the export that no buyer heard of (a request that timed out after the server " +
                    $"decided, or another client): {List(samples, unannounced)}"));
        }
        else
        {
            checks.Add(new CheckResult(Unannounced, CheckStatus.Skipped, "needs the export (--admin-key)"));
        }

        return new Verification(checks, unannounced);
    }

    private static CheckResult CheckOversell(
        SaleInfo sale,
        Dictionary<string, ExportedReservation>? exported,
        IEnumerable<CrowdWin> told,
        Func<string, bool> stillLive)
    {
        var items = sale.Items;
        var exportLive = new long[items.Count];
        var toldLive = new long[items.Count];
        var unknownItems = 0;
        if (exported is not null)
        {
            var index = new Dictionary<string, int>(StringComparer.Ordinal);
            for (var i = 0; i < items.Count; i++) index[items[i].Id] = i;
            foreach (var reservation in exported.Values)
            {
                if (!reservation.IsLive) continue;
                if (index.TryGetValue(reservation.ItemId, out var i)) exportLive[i]++;
                else unknownItems++;
            }
        }

        foreach (var win in told)
        {
            if (stillLive(win.ReservationId)) toldLive[win.Item]++;
        }

        var problems = new List<string>();
        long units = 0;
        for (var i = 0; i < items.Count; i++)
        {
            var reserved = Math.Max(exportLive[i], toldLive[i]);
            units += reserved;
            if (reserved > items[i].Stock)
            {
                var source = exportLive[i] >= toldLive[i] ? "in the export" : "announced to the crowd";
                problems.Add(
                    $"{items[i].Id}: {N(reserved)} units reserved ({source}) for a stock of {N(items[i].Stock)}, " +
                    $"oversold by {N(reserved - items[i].Stock)}");
            }
        }

        if (unknownItems > 0)
        {
            problems.Add($"{N(unknownItems)} live reservations in the export are for items the sale does not have");
        }

        return problems.Count > 0
            ? new CheckResult(NoOversell, CheckStatus.Failed, "oversold: " + string.Join("; ", problems))
            : new CheckResult(
                NoOversell,
                CheckStatus.Passed,
                $"{N(units)} of {N(sale.TotalStock)} units reserved, no item over its stock" +
                (exported is null ? " (as announced to the crowd; no export)" : ""));
    }

    private static CheckResult CheckLimit(
        SaleInfo sale,
        Dictionary<string, ExportedReservation>? exported,
        IEnumerable<CrowdWin> told,
        Func<string, bool> stillLive)
    {
        var limit = sale.PerUserLimit;
        var problems = new List<string>();
        var over = 0;
        if (exported is not null)
        {
            var holds = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var reservation in exported.Values)
            {
                if (reservation.IsLive) holds[reservation.UserId] = holds.GetValueOrDefault(reservation.UserId) + 1;
            }

            foreach (var (user, count) in holds)
            {
                if (count <= limit) continue;
                over++;
                if (problems.Count < Shown) problems.Add($"{user} holds {count} live reservations in the export");
            }
        }

        var wins = new Dictionary<int, List<string>>();
        foreach (var win in told)
        {
            if (!stillLive(win.ReservationId)) continue;
            if (!wins.TryGetValue(win.Buyer, out var ids)) wins[win.Buyer] = ids = [];
            ids.Add(win.ReservationId);
        }

        foreach (var (buyer, ids) in wins)
        {
            if (ids.Count <= limit) continue;
            over++;
            if (problems.Count < 2 * Shown)
            {
                problems.Add(
                    $"{BuyerPopulation.UserId(buyer)} was told won {ids.Count} times " +
                    $"({string.Join(", ", ids.Take(Shown))})");
            }
        }

        return over > 0
            ? new CheckResult(
                WithinLimit, CheckStatus.Failed, $"over the limit of {limit} per buyer: {List(problems, over)}")
            : new CheckResult(
                WithinLimit,
                CheckStatus.Passed,
                $"no buyer holds or was told of more than {limit} reservation{(limit == 1 ? "" : "s")}");
    }

    private static CheckResult CheckExported(
        Dictionary<string, ExportedReservation>? exported,
        IEnumerable<CrowdWin> told,
        List<string> wrongAnswers,
        List<string> duplicateExports)
    {
        var problems = new List<string>(wrongAnswers);
        var count = wrongAnswers.Count;
        var missing = new List<string>();
        var missingCount = 0;
        var announced = 0;
        if (exported is not null)
        {
            foreach (var win in told)
            {
                announced++;
                if (!exported.TryGetValue(win.ReservationId, out var reservation))
                {
                    missingCount++;
                    if (missing.Count < Shown) missing.Add($"{win.ReservationId} ({win.UserId}, {win.ItemId})");
                }
                else if (reservation.UserId != win.UserId || reservation.ItemId != win.ItemId)
                {
                    count++;
                    problems.Add(
                        $"{win.ReservationId} was announced for {win.UserId}/{win.ItemId} " +
                        $"but is exported for {reservation.UserId}/{reservation.ItemId}");
                }
            }

            if (duplicateExports.Count > 0)
            {
                count += duplicateExports.Count;
                problems.Add(
                    $"the export lists {N(duplicateExports.Count)} reservation ids twice " +
                    $"({string.Join(", ", duplicateExports.Take(Shown))})");
            }
        }

        if (missingCount > 0)
        {
            problems.Insert(
                0,
                $"{N(missingCount)} won {(missingCount == 1 ? "answer is" : "answers are")} missing from the export: " +
                $"{List(missing, missingCount)}");
        }

        count += missingCount;
        if (count > 0)
        {
            return new CheckResult(WinsExported, CheckStatus.Failed, string.Join("; ", problems.Take(2 * Shown)));
        }

        return exported is null
            ? new CheckResult(
                WinsExported,
                CheckStatus.Skipped,
                "needs the export (--admin-key); every won answer named the buyer and item asked for")
            : new CheckResult(
                WinsExported,
                CheckStatus.Passed,
                $"all {N(announced)} reservations announced are in the export, with the right buyer and item");
    }

    private static CheckResult CheckWinners(
        VerificationInput input,
        Dictionary<string, ExportedReservation>? exported,
        IEnumerable<CrowdWin> told,
        Func<string, bool> stillLive)
    {
        if (input.NotThrough is { } reason)
        {
            return new CheckResult(Winners, CheckStatus.Skipped, "not every buyer got a decision: " + reason);
        }

        var sale = input.Sale;
        var reserved = new long[sale.Items.Count];
        if (exported is not null)
        {
            var index = new Dictionary<string, int>(StringComparer.Ordinal);
            for (var i = 0; i < sale.Items.Count; i++) index[sale.Items[i].Id] = i;
            foreach (var reservation in exported.Values)
            {
                if (reservation.IsLive && index.TryGetValue(reservation.ItemId, out var i)) reserved[i]++;
            }
        }
        else
        {
            foreach (var win in told)
            {
                if (stillLive(win.ReservationId)) reserved[win.Item]++;
            }
        }

        // Each buyer wants one unit of one item; with a limit of 1 the count is exact, above it bots may hold more.
        var exact = sale.PerUserLimit == 1;
        var problems = new List<string>();
        long expectedTotal = 0, actualTotal = 0;
        for (var i = 0; i < sale.Items.Count; i++)
        {
            var item = sale.Items[i];
            var buyers = input.Population.BuyersOf(i);
            var expected = Math.Min(item.Stock, buyers);
            expectedTotal += expected;
            actualTotal += reserved[i];
            if (exact ? reserved[i] != expected : reserved[i] < expected)
            {
                problems.Add(
                    $"{item.Id}: {N(reserved[i])} units reserved, expected {(exact ? "" : "at least ")}" +
                    $"min({N(item.Stock)} stock, {N(buyers)} buyers) = {N(expected)}");
            }
        }

        return problems.Count > 0
            ? new CheckResult(Winners, CheckStatus.Failed, string.Join("; ", problems))
            : new CheckResult(Winners, CheckStatus.Passed,
                $"{N(actualTotal)} units reserved {(exact ? "=" : ">=")} min(stock, buyers) summed over " +
                $"{sale.Items.Count} item{(sale.Items.Count == 1 ? "" : "s")} = {N(expectedTotal)} " +
                $"({N(sale.TotalStock)} units, {N(input.Population.Count)} buyers)");
    }

    private static CheckResult CheckAnswered(IReadOnlyDictionary<string, long> errors)
    {
        long total = 0;
        foreach (var count in errors.Values) total += count;
        if (total == 0)
        {
            return new CheckResult(AllAnswered, CheckStatus.Passed, "every request got an answer of the contract");
        }

        var kinds = errors.OrderByDescending(e => e.Value).Take(Shown).Select(e => $"{e.Key} x{N(e.Value)}");
        return new CheckResult(
            AllAnswered,
            CheckStatus.Failed,
            $"{N(total)} requests got no answer of the contract: {string.Join(", ", kinds)}");
    }

    private static string List(List<string> shown, int total)
    {
        var text = new StringBuilder(string.Join("; ", shown));
        if (total > shown.Count) text.Append(CultureInfo.InvariantCulture, $"; and {N(total - shown.Count)} more");
        return text.ToString();
    }

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
