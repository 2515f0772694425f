namespace FlashSale.Server.Admission;

/// <summary>
/// The first check of the purchase path, before the token, the body or any lock: at most
/// <see cref="MaxInFlight"/> purchases are being handled at once; the next one is answered <c>503 busy</c> at once.
/// Under overload this keeps the time to an answer bounded (an answer in line behind thousands of others is the
/// slowest answer there is) and spends nothing on requests that could not be served in time anyway.
/// </summary>
internal sealed class OverloadGate(int maxInFlight)
{
    private int _inFlight;

    public int MaxInFlight { get; } = maxInFlight;

    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>True when the request may go on (then <see cref="Exit"/> once it is answered).</summary>
    public bool TryEnter()
    {
        if (MaxInFlight <= 0) return true;
        if (Interlocked.Increment(ref _inFlight) <= MaxInFlight) return true;
        Interlocked.Decrement(ref _inFlight);
        return false;
    }

    public void Exit()
    {
        if (MaxInFlight > 0) Interlocked.Decrement(ref _inFlight);
    }
}
