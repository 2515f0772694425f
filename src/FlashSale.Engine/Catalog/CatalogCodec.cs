using System.Buffers;
using FlashSale.Core.Sales;
using FlashSale.Engine.Journal;

namespace FlashSale.Engine.Catalog;

/// <summary>Encodes catalog records as journal records and decodes them back.</summary>
internal static class CatalogCodec
{
    private const byte EngineConfigured = 101;
    private const byte SaleCreated = 102;
    private const byte SaleClosed = 103;
    private const byte AdmissionChanged = 104;
    private const byte BlockAdded = 105;
    private const byte BlockRemoved = 106;
    private const long NoEnd = long.MinValue;
    private const byte WaitingRoomSection = 1;

    public static void Write(ArrayBufferWriter<byte> buffer, CatalogRecord record)
    {
        var start = RecordFraming.Begin(buffer);
        WritePayload(buffer, record);
        RecordFraming.Seal(buffer, start);
    }

    /// <summary>
    /// Bytes the payload of <paramref name="record"/> takes, to refuse a record replay could not read.
    /// </summary>
    public static int PayloadSize(CatalogRecord record)
    {
        var buffer = new ArrayBufferWriter<byte>();
        WritePayload(buffer, record);
        return buffer.WrittenCount;
    }

    private static void WritePayload(ArrayBufferWriter<byte> buffer, CatalogRecord record)
    {
        switch (record)
        {
            case CatalogRecord.EngineConfigured configured:
                PayloadWriter.Byte(buffer, EngineConfigured);
                PayloadWriter.VarUInt(buffer, (uint)configured.ShardCount);
                break;
            case CatalogRecord.SaleCreated created:
                var d = created.Definition;
                PayloadWriter.Byte(buffer, SaleCreated);
                PayloadWriter.String(buffer, d.Id);
                PayloadWriter.String(buffer, d.Name);
                PayloadWriter.Int64(buffer, d.StartsAt.ToUnixTimeMilliseconds());
                PayloadWriter.Int64(buffer, d.EndsAt?.ToUnixTimeMilliseconds() ?? NoEnd);
                PayloadWriter.VarUInt(buffer, (uint)d.PerUserLimit);
                PayloadWriter.VarUInt(buffer, (uint)d.HoldSeconds);
                PayloadWriter.VarUInt(buffer, d.EligibleUsers is null ? 0 : (ulong)d.EligibleUsers.Count + 1);
                foreach (var user in d.EligibleUsers ?? []) PayloadWriter.String(buffer, user);
                PayloadWriter.VarUInt(buffer, (uint)d.Items.Count);
                foreach (var item in d.Items)
                {
                    PayloadWriter.String(buffer, item.Id);
                    PayloadWriter.String(buffer, item.Name);
                    PayloadWriter.Decimal(buffer, item.Price);
                    PayloadWriter.VarUInt(buffer, (uint)item.Stock);
                }

                // Optional trailing section: journals written before it existed end after the items.
                if (d.WaitingRoom is { } room)
                {
                    PayloadWriter.Byte(buffer, WaitingRoomSection);
                    PayloadWriter.VarUInt(buffer, (uint)room.PreQueueSeconds);
                    PayloadWriter.VarUInt(buffer, (uint)room.AdmitPerSecond);
                    PayloadWriter.VarUInt(buffer, (uint)room.GrantSeconds);
                    PayloadWriter.Int64(buffer, room.Seed);
                }

                break;
            case CatalogRecord.SaleClosed closed:
                PayloadWriter.Byte(buffer, SaleClosed);
                PayloadWriter.String(buffer, closed.SaleId);
                PayloadWriter.Int64(buffer, closed.AtMs);
                break;
            case CatalogRecord.AdmissionChanged changed:
                PayloadWriter.Byte(buffer, AdmissionChanged);
                PayloadWriter.String(buffer, changed.SaleId);
                AdmissionCodec.Write(buffer, changed.Strategy);
                break;
            case CatalogRecord.BlockAdded added:
                PayloadWriter.Byte(buffer, BlockAdded);
                AdmissionCodec.Write(buffer, added.Block);
                break;
            case CatalogRecord.BlockRemoved removed:
                PayloadWriter.Byte(buffer, BlockRemoved);
                PayloadWriter.Byte(buffer, (byte)removed.Kind);
                PayloadWriter.String(buffer, removed.Value);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(record), record, "unknown catalog record");
        }
    }

    public static CatalogRecord Read(ReadOnlySpan<byte> payload)
    {
        var reader = new PayloadReader(payload);
        CatalogRecord record = reader.Byte() switch
        {
            EngineConfigured => new CatalogRecord.EngineConfigured(reader.VarInt32()),
            SaleCreated => new CatalogRecord.SaleCreated(ReadDefinition(ref reader)),
            SaleClosed => new CatalogRecord.SaleClosed(reader.RequiredString(), reader.Int64()),
            AdmissionChanged => new CatalogRecord.AdmissionChanged(reader.RequiredString(),
                AdmissionCodec.ReadStrategy(ref reader)),
            BlockAdded => new CatalogRecord.BlockAdded(AdmissionCodec.ReadBlock(ref reader)),
            BlockRemoved => new CatalogRecord.BlockRemoved(AdmissionCodec.ReadKind(ref reader),
                reader.RequiredString()),
            var kind => throw new InvalidDataException($"unknown catalog record kind {kind}"),
        };
        if (!reader.AtEnd) throw new InvalidDataException("trailing bytes in record");
        return record;
    }

    private static SaleDefinition ReadDefinition(ref PayloadReader reader)
    {
        var id = reader.RequiredString();
        var name = reader.RequiredString();
        var startsAt = DateTimeOffset.FromUnixTimeMilliseconds(reader.Int64());
        var endsAtMs = reader.Int64();
        var perUserLimit = reader.VarInt32();
        var holdSeconds = reader.VarInt32();
        var eligibleCount = reader.VarInt32();
        List<string>? eligible = null;
        if (eligibleCount > 0)
        {
            eligible = new List<string>(Math.Min(eligibleCount - 1, 1 << 16));
            for (var i = 0; i < eligibleCount - 1; i++) eligible.Add(reader.RequiredString());
        }

        var itemCount = reader.VarInt32();
        var items = new List<ItemDefinition>(Math.Min(itemCount, 1000));
        for (var i = 0; i < itemCount; i++)
        {
            items.Add(new ItemDefinition(reader.RequiredString(), reader.RequiredString(), reader.Decimal(),
                reader.VarInt32()));
        }

        WaitingRoomSettings? waitingRoom = null;
        if (!reader.AtEnd)
        {
            if (reader.Byte() != WaitingRoomSection) throw new InvalidDataException("unknown sale section");
            waitingRoom = new WaitingRoomSettings(reader.VarInt32(), reader.VarInt32(), reader.VarInt32(),
                reader.Int64());
        }

        return new SaleDefinition(id, name, startsAt,
            endsAtMs == NoEnd ? null : DateTimeOffset.FromUnixTimeMilliseconds(endsAtMs), perUserLimit, holdSeconds,
            eligible, items)
        { WaitingRoom = waitingRoom };
    }
}
