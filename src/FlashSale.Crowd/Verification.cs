namespace FlashSale.Crowd;

/// <summary>Every check of a run. The run fails when any check failed.</summary>
internal sealed record Verification(IReadOnlyList<CheckResult> Checks, int UnannouncedReservations)
{
    public bool Passed
    {
        get
        {
            foreach (var check in Checks)
            {
                if (check.Status == CheckStatus.Failed) return false;
            }

            return true;
        }
    }
}
