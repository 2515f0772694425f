using System.Globalization;
using System.Net;
using System.Text;

namespace FlashSale.Crowd;

/// <summary>
/// Small inline SVG charts over time (no scripts, no external resources): stacked areas and lines, linear or log scale.
/// </summary>
internal static class SvgChart
{
    private const int Width = 760, Height = 280, Left = 64, Right = 150, Top = 28, Bottom = 40;
    private const int PlotWidth = Width - Left - Right, PlotHeight = Height - Top - Bottom;

    /// <summary>A named series of values, one per x (null: no value there).</summary>
    public sealed record Series(string Name, string Colour, IReadOnlyList<double?> Values);

    /// <summary>Stacked areas: each series on top of the ones before it (for rates by outcome).</summary>
    public static string Stacked(
        string title, string unit, string axis, IReadOnlyList<double> x, IReadOnlyList<Series> series)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(series);
        var sums = new double[x.Count];
        var layers = new List<(Series Series, double[] Low, double[] High)>();
        foreach (var s in series)
        {
            var low = (double[])sums.Clone();
            for (var i = 0; i < x.Count; i++) sums[i] += s.Values[i] ?? 0;
            layers.Add((s, low, (double[])sums.Clone()));
        }

        var maxY = Nice(sums.Length == 0 ? 1 : Math.Max(1, sums.Max()));
        var svg = Begin(title, axis, x, maxY, unit, log: false, out var scaleX, out var scaleY);
        foreach (var (s, low, high) in layers)
        {
            if (x.Count == 0) break;
            var points = new StringBuilder();
            for (var i = 0; i < x.Count; i++)
            {
                points.Append(P(scaleX(x[i]))).Append(',').Append(P(scaleY(high[i]))).Append(' ');
            }

            for (var i = x.Count - 1; i >= 0; i--)
            {
                points.Append(P(scaleX(x[i]))).Append(',').Append(P(scaleY(low[i]))).Append(' ');
            }

            svg.Append(
                CultureInfo.InvariantCulture,
                $"<polygon points=\"{points}\" fill=\"{s.Colour}\" fill-opacity=\"0.75\" " +
                $"stroke=\"{s.Colour}\" stroke-width=\"0.5\"/>");
        }

        return End(svg, series);
    }

    /// <summary>Lines, on a linear or log10 y axis.</summary>
    public static string Lines(
        string title, string unit, string axis, IReadOnlyList<double> x, IReadOnlyList<Series> series, bool log)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(series);
        double max = 0, min = double.MaxValue;
        foreach (var s in series)
        {
            foreach (var v in s.Values)
            {
                if (v is not { } value) continue;
                max = Math.Max(max, value);
                if (value > 0) min = Math.Min(min, value);
            }
        }

        var maxY = log ? Math.Pow(10, Math.Ceiling(Math.Log10(Math.Max(max, 0.01)))) : Nice(Math.Max(max, 1));
        var minY = log ? Math.Pow(10, Math.Floor(Math.Log10(min == double.MaxValue ? 0.01 : Math.Max(min, 0.001)))) : 0;
        if (log && minY >= maxY) minY = maxY / 10;
        var svg = Begin(title, axis, x, maxY, unit, log, out var scaleX, out var scaleY, minY);
        foreach (var s in series)
        {
            var points = new StringBuilder();
            for (var i = 0; i < x.Count; i++)
            {
                if (s.Values[i] is not { } v || (log && v <= 0)) continue;
                points.Append(P(scaleX(x[i]))).Append(',').Append(P(scaleY(v))).Append(' ');
            }

            if (points.Length > 0)
            {
                svg.Append(
                    CultureInfo.InvariantCulture,
                    $"<polyline points=\"{points}\" fill=\"none\" stroke=\"{s.Colour}\" stroke-width=\"1.8\"/>");
            }
        }

        return End(svg, series);
    }

    private static StringBuilder Begin(
        string title,
        string axis,
        IReadOnlyList<double> x,
        double maxY,
        string unit,
        bool log,
        out Func<double, double> scaleX,
        out Func<double, double> scaleY,
        double minY = 0)
    {
        var maxX = x.Count == 0 ? 1 : Math.Max(x[^1], 0.001);
        scaleX = v => Left + (v / maxX * PlotWidth);
        scaleY = log
            ? v => Top + PlotHeight
                - ((Math.Log10(Math.Max(v, minY)) - Math.Log10(minY))
                    / (Math.Log10(maxY) - Math.Log10(minY)) * PlotHeight)
            : v => Top + PlotHeight - (v / maxY * PlotHeight);
        var svg = new StringBuilder();
        svg.Append(
            CultureInfo.InvariantCulture,
            $"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {Width} {Height}\" " +
            $"role=\"img\" aria-label=\"{E(title)}\">");
        svg.Append(
            CultureInfo.InvariantCulture,
            $"<text x=\"{Left}\" y=\"18\" font-size=\"14\" font-weight=\"bold\">{E(title)}</text>");
        svg.Append(
            CultureInfo.InvariantCulture,
            $"<rect x=\"{Left}\" y=\"{Top}\" width=\"{PlotWidth}\" height=\"{PlotHeight}\" " +
            $"fill=\"#fafafa\" stroke=\"#bbb\"/>");

        // Y ticks: five steps (linear) or the decades (log).
        var ticks = new List<double>();
        if (log)
        {
            for (var v = minY; v <= maxY * 1.0001; v *= 10) ticks.Add(v);
        }
        else
        {
            for (var i = 0; i <= 5; i++) ticks.Add(maxY * i / 5);
        }

        foreach (var tick in ticks)
        {
            var y = P(scaleY(tick));
            svg.Append(
                CultureInfo.InvariantCulture,
                $"<line x1=\"{Left}\" x2=\"{Left + PlotWidth}\" y1=\"{y}\" y2=\"{y}\" stroke=\"#e0e0e0\"/>");
            svg.Append(
                CultureInfo.InvariantCulture,
                $"<text x=\"{Left - 6}\" y=\"{y}\" font-size=\"11\" text-anchor=\"end\" dominant-baseline=\"middle\">" +
                $"{E(Label(tick))}</text>");
        }

        svg.Append(
            CultureInfo.InvariantCulture,
            $"<text x=\"14\" y=\"{Top + (PlotHeight / 2)}\" font-size=\"11\" " +
            $"transform=\"rotate(-90 14 {Top + (PlotHeight / 2)})\" text-anchor=\"middle\">{E(unit)}</text>");
        var step = Nice(maxX / 8);
        for (var t = 0.0; t <= maxX + (step / 1000); t += step)
        {
            var px = P(scaleX(t));
            svg.Append(
                CultureInfo.InvariantCulture,
                $"<line x1=\"{px}\" x2=\"{px}\" y1=\"{Top + PlotHeight}\" y2=\"{Top + PlotHeight + 4}\" " +
                $"stroke=\"#888\"/>");
            svg.Append(
                CultureInfo.InvariantCulture,
                $"<text x=\"{px}\" y=\"{Top + PlotHeight + 16}\" font-size=\"11\" text-anchor=\"middle\">" +
                $"{E(Label(t))}</text>");
        }

        svg.Append(
            CultureInfo.InvariantCulture,
            $"<text x=\"{Left + (PlotWidth / 2)}\" y=\"{Height - 6}\" font-size=\"11\" text-anchor=\"middle\">" +
            $"{E(axis)}</text>");
        return svg;
    }

    private static string End(StringBuilder svg, IReadOnlyList<Series> series)
    {
        var y = Top + 8;
        foreach (var s in series)
        {
            svg.Append(
                CultureInfo.InvariantCulture,
                $"<rect x=\"{Width - Right + 12}\" y=\"{y - 8}\" width=\"12\" height=\"12\" fill=\"{s.Colour}\"/>");
            svg.Append(
                CultureInfo.InvariantCulture,
                $"<text x=\"{Width - Right + 30}\" y=\"{y + 2}\" font-size=\"12\">{E(s.Name)}</text>");
            y += 18;
        }

        return svg.Append("</svg>").ToString();
    }

    /// <summary>1, 2 or 5 times a power of ten, at least <paramref name="value"/>.</summary>
    private static double Nice(double value)
    {
        if (value <= 0) return 1;
        var power = Math.Pow(10, Math.Floor(Math.Log10(value)));
        foreach (var m in (double[])[1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10])
        {
            if (m * power >= value) return m * power;
        }

        return 10 * power;
    }

    private static string Label(double v) => v switch
    {
        >= 1_000_000 => (v / 1_000_000).ToString("0.#", CultureInfo.InvariantCulture) + "M",
        >= 10_000 => (v / 1000).ToString("0.#", CultureInfo.InvariantCulture) + "k",
        >= 1 => v.ToString("0.##", CultureInfo.InvariantCulture),
        0 => "0",
        _ => v.ToString("0.###", CultureInfo.InvariantCulture),
    };

    private static string P(double v) => v.ToString("0.#", CultureInfo.InvariantCulture);

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
