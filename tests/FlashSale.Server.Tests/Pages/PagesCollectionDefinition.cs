namespace FlashSale.Server.Tests.Pages;

/// <summary>The pages' browser tests share one server and one browser, one test at a time.</summary>
[CollectionDefinition(Name)]
public sealed class PagesCollectionDefinition : ICollectionFixture<PagesFixture>
{
    public const string Name = "Pages in a browser";
}
