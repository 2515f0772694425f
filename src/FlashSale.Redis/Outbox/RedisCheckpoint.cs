using FlashSale.Core.Outbox;
using FlashSale.Redis.Scripts;
using StackExchange.Redis;

namespace FlashSale.Redis.Outbox;

/// <summary>
/// A delivery's progress in Redis, with the lease that lets one gateway at a time deliver, after the expiry lease:
/// <c>{fs:outbox:&lt;name&gt;}:lease</c> (taken with <c>SET NX PX</c>, holding a fencing token from <c>:fence</c>),
/// and <c>:cursor</c>, which only the lease's holder can write (a script compares the token). A gateway that stalled
/// past its lease can therefore never move the cursor after the next holder took over.
/// </summary>
internal sealed class RedisCheckpoint : IDeliveryCheckpoint
{
    private readonly IDatabase _database;
    private readonly StoreScripts _scripts;
    private readonly RedisKey _lease;
    private readonly RedisKey _fence;
    private readonly RedisKey _cursor;
    private readonly TimeSpan _leaseDuration;
    private long? _token;

    public RedisCheckpoint(IDatabase database, StoreScripts scripts, string prefix, string name,
        TimeSpan leaseDuration)
    {
        _database = database;
        _scripts = scripts;
        var tag = "{" + prefix + ":outbox:" + name + "}";
        _lease = tag + ":lease";
        _fence = tag + ":fence";
        _cursor = tag + ":cursor";
        _leaseDuration = leaseDuration;
    }

    public async ValueTask<bool> TryHoldAsync(CancellationToken cancellationToken = default)
    {
        var lease = (long)_leaseDuration.TotalMilliseconds;
        if (_token is { } held)
        {
            if ((int)await _scripts.Lease.EvaluateAsync(_database, _lease, [held, lease]) == 1) return true;
            _token = null;
        }

        if (await _database.KeyExistsAsync(_lease)) return false;
        var token = await _database.StringIncrementAsync(_fence);
        if (!await _database.StringSetAsync(_lease, token, _leaseDuration, When.NotExists)) return false;
        _token = token;
        return true;
    }

    public async ValueTask<string?> LoadAsync(CancellationToken cancellationToken = default) =>
        (string?)await _database.StringGetAsync(_cursor);

    public async ValueTask<bool> SaveAsync(string cursor, CancellationToken cancellationToken = default)
    {
        if (_token is not { } held) return false;
        var saved = (int)await _scripts.Checkpoint.EvaluateAsync(_database, _lease,
            [(string)_cursor!, held, cursor]) == 1;
        if (!saved) _token = null;
        return saved;
    }

    public async ValueTask ReleaseAsync()
    {
        if (_token is { } held) await _scripts.Lease.EvaluateAsync(_database, _lease, [held, 0]);
        _token = null;
    }
}
