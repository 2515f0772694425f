using System.Buffers;
using FlashSale.Core.Purchases;
using FlashSale.Core.Shards;
using FlashSale.Engine.Journal;
using FlashSale.Engine.Tests.Support;
using FsCheck.Xunit;

namespace FlashSale.Engine.Tests.Journal;

public sealed class ShardEventCodecTests
{
    [Fact]
    public void A_remembered_answer_is_journaled_with_its_item_and_read_back_with_it()
    {
        var answered = ShardEvent.AttemptAnswered("s", "alice", "r1", 2, Outcome.SoldOut);

        var payload = Payload(answered);

        Assert.Equal([4, 2, (byte)'s', 6, .. "alice"u8, 3, (byte)'r', (byte)'1', 2, 2], payload);
        Assert.Equal(answered, ShardEventCodec.Read(payload));
    }

    [Fact]
    public void An_answer_remembered_by_key_is_read_back_equal_and_rebuilds_the_same_answer()
    {
        var key = AnswerKey.Of("alice", "r1");
        var answered = ShardEvent.AnswerRemembered("s", key, 1, Outcome.LimitReached);
        var read = ShardEventCodec.Read(Payload(answered));
        Assert.Equal(answered, read);

        // The old record with the strings and the new one with the key are the same answer.
        var fromKey = new ShardState(0);
        fromKey.Apply(read);
        var fromStrings = new ShardState(0);
        fromStrings.Apply(ShardEvent.AttemptAnswered("s", "alice", "r1", 1, Outcome.LimitReached));
        Assert.Equal(fromStrings.Describe(), fromKey.Describe());
        Assert.True(fromKey.FindAnswers("s")!.TryGet(key, out var answer));
        Assert.Equal(new RememberedAnswer(Outcome.LimitReached, 1), answer);
        Assert.NotEqual(key, AnswerKey.Of("alic", "er1"));
    }

    [Fact]
    public void An_answer_journaled_before_answers_named_their_item_is_given_again_for_any_item()
    {
        // The layout of the record before the item was added: kind, sale, buyer, requestId, outcome.
        byte[] legacy = [4, 2, (byte)'s', 6, .. "alice"u8, 3, (byte)'r', (byte)'1', 2];
        var read = ShardEventCodec.Read(legacy);
        Assert.Equal(ShardEvent.AttemptAnswered("s", "alice", "r1", ShardEvent.AnyItem, Outcome.SoldOut), read);
        Assert.Equal(legacy, Payload(read));

        var state = new ShardState(0);
        state.Apply(read);
        var sale = new Core.Sales.Sale(TestSales.Items("s", 1, 60, ("phone", 1), ("case", 1)));
        var sink = new CountingSink();
        var now = TestSales.Start.ToUnixTimeMilliseconds();
        foreach (var item in (int[])[0, 1])
        {
            var decision = state.Decide(sale, item, "alice", "r1", now, new NoStock(), sink);
            Assert.Equal(Decision.Of(Outcome.SoldOut), decision);
        }

        Assert.Equal(0, sink.Count);
    }

    [Property(MaxTest = 300)]
    public void Every_answer_record_reads_back_as_written_and_every_cut_or_flipped_byte_is_detected(
        FsCheck.PositiveInt sale,
        FsCheck.PositiveInt user,
        FsCheck.PositiveInt request,
        byte item,
        bool soldOut,
        FsCheck.PositiveInt damage)
    {
        var outcome = soldOut ? Outcome.SoldOut : Outcome.LimitReached;
        var userId = new string('u', (user.Get % 300) + 1);
        var written = ShardEvent.AttemptAnswered($"sale-{sale.Get}", userId, $"r{request.Get}", item, outcome);
        var buffer = new ArrayBufferWriter<byte>();
        ShardEventCodec.Write(buffer, written);
        var frame = buffer.WrittenSpan.ToArray();

        Assert.Equal(RecordFraming.ReadStatus.Ok, RecordFraming.TryRead(frame, out var payload, out var size));
        Assert.Equal(frame.Length, size);
        Assert.Equal(written, ShardEventCodec.Read(payload));

        // A torn tail: any cut of the record is never read as a record.
        var cut = damage.Get % frame.Length;
        Assert.NotEqual(RecordFraming.ReadStatus.Ok, RecordFraming.TryRead(frame.AsSpan(0, cut), out _, out _));

        // A flipped bit anywhere fails a checksum.
        var flipped = (byte[])frame.Clone();
        flipped[damage.Get % frame.Length] ^= (byte)(1 << (damage.Get % 8));
        Assert.NotEqual(RecordFraming.ReadStatus.Ok, RecordFraming.TryRead(flipped, out _, out _));
    }

    private static byte[] Payload(in ShardEvent e)
    {
        var buffer = new ArrayBufferWriter<byte>();
        ShardEventCodec.Write(buffer, e);
        return buffer.WrittenSpan[RecordFraming.HeaderSize..].ToArray();
    }

    private sealed class CountingSink : IShardEventSink
    {
        public int Count { get; private set; }

        public void Append(in ShardEvent shardEvent) => Count++;
    }

    private sealed class NoStock : IStockSource
    {
        public int Take(Core.Sales.Sale sale, int itemIndex) => 0;
    }
}
