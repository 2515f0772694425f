namespace FlashSale.Crowd;

/// <summary>What a rehearsal asks of the server it starts: fresh secrets, its rate limit, a fresh data
/// directory.</summary>
/// <param name="AdminKey">The admin key (<c>FlashSale:AdminKey</c>).</param>
/// <param name="TokenSecret">The buyers' token secret (<c>FlashSale:TokenSecret</c>).</param>
/// <param name="RateLimit">The per-buyer rate limit (<c>FlashSale:RateLimit</c>), shown in the summary and
/// report.</param>
/// <param name="DataDirectory">Where the journals go; the rehearsal removes it afterwards unless told to keep
/// it.</param>
/// <param name="KeepData">Whether the rehearsal keeps <paramref name="DataDirectory"/> afterwards
/// (<c>--keep-data</c>).</param>
public sealed record RehearsalServerSettings(string AdminKey, string TokenSecret, RateLimit RateLimit,
    string DataDirectory, bool KeepData = false);
