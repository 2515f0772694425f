namespace FlashSale.Crowd;

/// <summary>The two verbs the crowd serves.</summary>
public enum CrowdVerb
{
    /// <summary><c>flashsale crowd</c>: against a running server and an existing sale.</summary>
    Crowd,

    /// <summary><c>flashsale rehearse</c>: against a server it starts, on a sale it creates.</summary>
    Rehearse,
}
