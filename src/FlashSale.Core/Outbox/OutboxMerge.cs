using FlashSale.Core.Reservations;

namespace FlashSale.Core.Outbox;

/// <summary>
/// Merges the pages read from a store's partitions (each in its own order) into one batch, oldest win first, keeping
/// every partition's order; each entry gets the cursor of the positions reached once it is taken.
/// </summary>
public static class OutboxMerge
{
    /// <summary>
    /// Takes up to <paramref name="max"/> reservations from <paramref name="pages"/> (page <c>i</c> continues
    /// partition <c>i</c> after its position) by time won, ties by partition. <paramref name="cursorOf"/> makes the
    /// cursor from how many of each page are taken so far; <paramref name="from"/> is the cursor read from.
    /// </summary>
    public static OutboxBatch Merge(IReadOnlyList<IReadOnlyList<Reservation>> pages, int max,
        Func<int[], string> cursorOf, string from)
    {
        ArgumentNullException.ThrowIfNull(pages);
        ArgumentNullException.ThrowIfNull(cursorOf);
        var taken = new int[pages.Count];
        var entries = new List<OutboxEntry>();
        while (entries.Count < max)
        {
            var best = -1;
            for (var i = 0; i < pages.Count; i++)
            {
                if (taken[i] < pages[i].Count
                    && (best < 0 || pages[i][taken[i]].CreatedAt < pages[best][taken[best]].CreatedAt))
                {
                    best = i;
                }
            }

            if (best < 0) break;
            var reservation = pages[best][taken[best]++];
            entries.Add(new OutboxEntry(reservation, cursorOf(taken)));
        }

        return new OutboxBatch(entries, entries.Count > 0 ? entries[^1].Cursor : from);
    }
}
