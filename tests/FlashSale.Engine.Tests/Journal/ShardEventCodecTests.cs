using System.Buffers;
using FlashSale.Core.Purchases;
using FlashSale.Core.Shards;
using FlashSale.Engine.Journal;
using FlashSale.Engine.Tests.Support;

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
            Assert.Equal(Decision.Of(Outcome.SoldOut), state.Decide(sale, item, "alice", "r1", now, new NoStock(), sink));
        }

        Assert.Equal(0, sink.Count);
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
