namespace FlashSale.Crowd;

/// <summary>The server a rehearsal runs against, started by the host (the <c>flashsale</c> executable); disposing stops
/// it.</summary>
public interface IRehearsalServer : IAsyncDisposable
{
    /// <summary>Its base URL: the sale is created, read and exported there.</summary>
    Uri Url { get; }

    /// <summary>
    /// Where the crowd's purchases go, spread evenly: the gateways of a cluster-mode server (<see cref="Url"/> is
    /// one of them), or just <see cref="Url"/>.
    /// </summary>
    IReadOnlyList<Uri> Gateways { get; }

    /// <summary>True when the server runs in the rehearsal's own process (its CPU figures then include the
    /// server's).</summary>
    bool InProcess { get; }

    /// <summary>What was started, in a few words for the console (no secrets).</summary>
    string Description { get; }
}
