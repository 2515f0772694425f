using FlashSale.Redis.Tests.Support;

namespace FlashSale.Redis.Tests.Outbox;

[Collection(StandaloneCollectionDefinition.Name)]
public sealed class StandaloneOutboxTests(StandaloneRedis redis)
{
    [Fact]
    public Task Every_win_is_read_once_in_order_in_batches_that_split_stream_entries() =>
        OutboxChecks.Every_win_is_read_once_in_order_in_batches_that_split_stream_entries(redis);

    [Fact]
    public Task One_gateway_holds_the_delivery_and_a_stale_holder_cannot_save() =>
        OutboxChecks.One_gateway_holds_the_delivery_and_a_stale_holder_cannot_save(redis);
}
