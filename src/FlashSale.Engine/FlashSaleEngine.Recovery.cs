using System.Diagnostics;
using FlashSale.Core.Admission;
using FlashSale.Core.Shards;
using FlashSale.Engine.Catalog;
using FlashSale.Engine.Journal;
using FlashSale.Engine.Shards;
using FlashSale.Engine.Stock;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Win32.SafeHandles;

namespace FlashSale.Engine;

public sealed partial class FlashSaleEngine
{
    private FlashSaleEngine(EngineOptions options, TimeProvider time, ILogger logger, SafeFileHandle directoryLock,
        SaleCatalog catalog, ShardState[] states, SegmentJournal[] journals)
    {
        _options = options;
        _directoryLock = directoryLock;
        _logger = logger;
        Time = time;
        _usedPasses = new UsedPasses(time);
        Catalog = catalog;
        _shards = new ShardWorker[states.Length];
        var context = new ShardContext(
            options,
            time,
            catalog,
            _shards,
            OnAvailabilityChanged,
            OnShardFailed,
            seconds => JournalFlushObserved?.Invoke(seconds));
        for (var i = 0; i < states.Length; i++) _shards[i] = new ShardWorker(context, i, states[i], journals[i]);
        foreach (var shard in _shards) shard.Start();
        _expiryTimer = time.CreateTimer(
            static state => ((FlashSaleEngine)state!).ExpireDue(),
            this,
            options.ExpiryInterval,
            options.ExpiryInterval);
    }

    /// <summary>
    /// Opens the engine on <see cref="EngineOptions.DataDirectory"/>: replays the catalog, then every shard's newest
    /// snapshot and journal, cutting torn tails, and rebuilds where every unit is. Throws
    /// <see cref="JournalCorruptException"/> (naming file and offset) rather than start over damaged data.
    /// </summary>
    public static FlashSaleEngine Open(EngineOptions options, TimeProvider? time = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Validate() is { } error) throw new ArgumentException(error, nameof(options));
#pragma warning disable RS0030 // library default for callers that pass no clock; hosts and tests pass theirs
        time ??= TimeProvider.System;
#pragma warning restore RS0030
        logger ??= NullLogger.Instance;
        var started = Stopwatch.GetTimestamp();
        var directory = Path.GetFullPath(options.DataDirectory);
        Directory.CreateDirectory(directory);
        var directoryLock = LockDirectory(directory);
        SaleCatalog catalog;
        try
        {
            catalog = SaleCatalog.Open(Path.Combine(directory, "catalog"), options.ShardCount);
        }
        catch
        {
            directoryLock.Dispose();
            throw;
        }

        var shardCount = catalog.ShardCount;
        if (shardCount != options.ShardCount)
        {
            EngineLog.ShardCountKept(logger, directory, shardCount, options.ShardCount);
        }

        var states = new ShardState[shardCount];
        var journals = new SegmentJournal[shardCount];
        try
        {
            for (var i = 0; i < shardCount; i++)
            {
                var state = new ShardState(i);
                states[i] = state;
                journals[i] = SegmentJournal.Open(Path.Combine(directory, $"shard-{i:D3}"),
                    payload => state.Apply(ShardEventCodec.Read(payload)));
            }

            var reservations = RestoreStock(catalog, states);

            // Answers past their retention come back with the journal's older segments: drop them again.
            var nowMs = time.GetUtcNow().ToUnixTimeMilliseconds();
            foreach (var state in states) ShardWorker.ForgetAnswers(state, catalog, options.RememberFor, nowMs);
            EngineLog.Recovered(logger, catalog.All.Count, reservations, shardCount, directory,
                (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            return new FlashSaleEngine(options, time, logger, directoryLock, catalog, states, journals);
        }
        catch
        {
            foreach (var journal in journals) journal?.Dispose();
            catalog.Dispose();
            directoryLock.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Takes the data directory for this engine alone (an exclusive lock on its <c>lock</c> file, held until
    /// dispose): two engines appending to the same journals would each sell the same units.
    /// </summary>
    private static SafeFileHandle LockDirectory(string directory)
    {
        var path = Path.Combine(directory, "lock");
        try
        {
            return File.OpenHandle(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e)
        {
            throw new IOException(
                $"data directory {directory} is in use by another engine (cannot lock {path}); "
                + "open it once per machine",
                e);
        }
    }

    /// <summary>
    /// Every unit is in exactly one place: the pool holds what no shard took (stock minus every shard's net take).
    /// </summary>
    private static int RestoreStock(SaleCatalog catalog, ShardState[] states)
    {
        var known = catalog.RecoveredSales.Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var state in states)
        {
            foreach (var saleId in state.SaleIds)
            {
                if (!known.Contains(saleId))
                {
                    throw new JournalCorruptException(
                        $"journal corrupt: shard {state.ShardIndex} has records of sale '{saleId}', which the catalog "
                        + "does not know. Refusing to start.");
                }
            }
        }

        var reservations = 0;
        foreach (var sale in catalog.RecoveredSales)
        {
            var items = new ItemStock[sale.ItemCount];
            long won = 0;
            for (var i = 0; i < sale.ItemCount; i++)
            {
                var units = new int[states.Length];
                var pool = sale.Definition.Items[i].Stock;
                foreach (var state in states)
                {
                    var counts = state.CountsOf(sale.Id, i);
                    pool -= counts.NetTaken;
                    units[state.ShardIndex] = counts.Local;
                    won += counts.Made;
                }

                if (pool < 0)
                {
                    throw new JournalCorruptException(
                        $"journal corrupt: sale '{sale.Id}' item '{sale.Definition.Items[i].Id}' has {-pool} more "
                        + "units in shards than stocked. Refusing to start.");
                }

                items[i] = new ItemStock(pool, units);
            }

            var entry = new SaleEntry(sale, items);
            entry.Stats.ReservationsRecovered(won);

            // Sold out before the restart: the last unit went with the last reservation made.
            if (entry.AllSoldOut && states.Select(s => s.LastReservationAt(sale.Id)).Max() is { } lastWon)
            {
                entry.Stats.SoldOutAt(lastWon.ToUnixTimeMilliseconds());
            }

            reservations += (int)won;
            catalog.AddRecovered(entry);
        }

        catalog.RecoveredSales.Clear();
        return reservations;
    }
}
