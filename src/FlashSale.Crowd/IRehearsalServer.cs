namespace FlashSale.Crowd;

/// <summary>The server a rehearsal runs against, started by the host (the <c>flashsale</c> executable); disposing stops
/// it.</summary>
public interface IRehearsalServer : IAsyncDisposable
{
    /// <summary>Its base URL.</summary>
    Uri Url { get; }
}
