using System.Buffers;
using FlashSale.Core.Purchases;
using FlashSale.Core.Reservations;
using FlashSale.Core.Shards;

namespace FlashSale.Engine.Journal;

/// <summary>Encodes shard events as journal records and decodes them back.</summary>
internal static class ShardEventCodec
{
    /// <summary>Appends one framed record for <paramref name="e"/>.</summary>
    public static void Write(ArrayBufferWriter<byte> buffer, in ShardEvent e)
    {
        var start = RecordFraming.Begin(buffer);
        PayloadWriter.Byte(buffer, (byte)e.Kind);
        switch (e.Kind)
        {
            case ShardEventKind.StockTaken:
            case ShardEventKind.StockReturned:
                PayloadWriter.String(buffer, e.SaleId);
                PayloadWriter.VarUInt(buffer, (uint)e.ItemIndex);
                PayloadWriter.VarUInt(buffer, (uint)e.Quantity);
                break;
            case ShardEventKind.ReservationMade:
                var r = e.Reservation!;
                PayloadWriter.String(buffer, r.Id);
                PayloadWriter.String(buffer, r.SaleId);
                PayloadWriter.String(buffer, r.ItemId);
                PayloadWriter.String(buffer, r.UserId);
                PayloadWriter.VarUInt(buffer, (uint)r.Quantity);
                PayloadWriter.Int64(buffer, r.CreatedAt.ToUnixTimeMilliseconds());
                PayloadWriter.Int64(buffer, r.HoldUntil.ToUnixTimeMilliseconds());
                PayloadWriter.VarUInt(buffer, (uint)e.ItemIndex);
                PayloadWriter.VarUInt(buffer, (ulong)e.Sequence);
                PayloadWriter.String(buffer, e.RequestId);
                break;
            case ShardEventKind.AttemptAnswered:
                PayloadWriter.String(buffer, e.SaleId);
                PayloadWriter.String(buffer, e.UserId);
                PayloadWriter.String(buffer, e.RequestId);
                PayloadWriter.Byte(buffer, (byte)e.Outcome);

                // The item, a trailing field since requestIds are checked against it: a record written before has
                // none and is read back as an answer for any item (what it was then).
                if (e.ItemIndex != ShardEvent.AnyItem) PayloadWriter.VarUInt(buffer, (uint)e.ItemIndex);
                break;
            case ShardEventKind.AnswerRemembered:
                PayloadWriter.String(buffer, e.SaleId);
                PayloadWriter.Int64(buffer, (long)e.Key.High);
                PayloadWriter.Int64(buffer, (long)e.Key.Low);
                PayloadWriter.Byte(buffer, (byte)e.Outcome);
                PayloadWriter.VarUInt(buffer, (uint)(e.ItemIndex + 1));
                break;
            case ShardEventKind.ReservationConfirmed:
            case ShardEventKind.ReservationCancelled:
            case ShardEventKind.ReservationExpired:
                PayloadWriter.String(buffer, e.ReservationId);
                PayloadWriter.Int64(buffer, e.AtMs);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(e), e.Kind, "unknown shard event kind");
        }

        RecordFraming.Seal(buffer, start);
    }

    /// <summary>Decodes one record payload.</summary>
    public static ShardEvent Read(ReadOnlySpan<byte> payload)
    {
        var reader = new PayloadReader(payload);
        var kind = (ShardEventKind)reader.Byte();
        ShardEvent e;
        switch (kind)
        {
            case ShardEventKind.StockTaken:
                e = ShardEvent.StockTaken(reader.RequiredString(), reader.VarInt32(), reader.VarInt32());
                break;
            case ShardEventKind.StockReturned:
                e = ShardEvent.StockReturned(reader.RequiredString(), reader.VarInt32(), reader.VarInt32());
                break;
            case ShardEventKind.ReservationMade:
                var reservation = new Reservation(
                    reader.RequiredString(),
                    reader.RequiredString(),
                    reader.RequiredString(),
                    reader.RequiredString(),
                    reader.VarInt32(),
                    DateTimeOffset.FromUnixTimeMilliseconds(reader.Int64()),
                    DateTimeOffset.FromUnixTimeMilliseconds(reader.Int64()),
                    ReservationStatus.Held);
                var itemIndex = reader.VarInt32();
                var sequence = (long)reader.VarUInt();
                e = ShardEvent.ReservationMade(reservation, itemIndex, sequence, reader.String());
                break;
            case ShardEventKind.AttemptAnswered:
                var saleId = reader.RequiredString();
                var userId = reader.RequiredString();
                var requestId = reader.RequiredString();
                var outcome = (Outcome)reader.Byte();
                var answeredItem = reader.AtEnd ? ShardEvent.AnyItem : reader.VarInt32();
                e = ShardEvent.AttemptAnswered(saleId, userId, requestId, answeredItem, outcome);
                if (!e.Outcome.IsRemembered())
                {
                    throw new InvalidDataException($"outcome {e.Outcome} is never remembered");
                }
                break;
            case ShardEventKind.AnswerRemembered:
                var answerSale = reader.RequiredString();
                var key = new AnswerKey((ulong)reader.Int64(), (ulong)reader.Int64());
                var answer = (Outcome)reader.Byte();
                e = ShardEvent.AnswerRemembered(answerSale, key, reader.VarInt32() - 1, answer);
                if (answer is not (Outcome.SoldOut or Outcome.LimitReached))
                {
                    throw new InvalidDataException($"outcome {answer} is never remembered by key");
                }
                break;
            case ShardEventKind.ReservationConfirmed:
            case ShardEventKind.ReservationCancelled:
            case ShardEventKind.ReservationExpired:
                e = ShardEvent.StatusChanged(kind, reader.RequiredString(), reader.Int64());
                break;
            default:
                throw new InvalidDataException($"unknown shard event kind {(int)kind}");
        }

        if (!reader.AtEnd) throw new InvalidDataException("trailing bytes in record");
        return e;
    }
}
