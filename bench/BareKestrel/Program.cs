// Bare Kestrel: POST /api/sales/{saleId}/purchase answers a constant small JSON body and reads nothing (Kestrel
// drains the request body). What flashsale's purchase endpoint costs on top of this is what bench/http-compare.sh
// measures.
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);
var app = builder.Build();

var body = """{"outcome":"won"}"""u8.ToArray();
app.MapPost("/api/sales/{saleId}/purchase", (HttpContext context) =>
{
    var response = context.Response;
    response.ContentType = "application/json";
    response.ContentLength = body.Length;
    return response.Body.WriteAsync(body).AsTask();
});
app.MapGet("/healthz", () => "ok");
app.Run();
