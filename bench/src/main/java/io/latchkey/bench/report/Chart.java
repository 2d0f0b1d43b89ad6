package io.latchkey.bench.report;

import io.latchkey.bench.scenario.Scenarios;
import java.util.List;
import java.util.Locale;

/**
 * A bar chart of the comparison as SVG: per scenario, how many times the subject's throughput is the
 * baseline's, and how many times less server CPU it spends per operation; a line marks the 5× target.
 */
final class Chart {

    private static final int LEFT = 160;
    private static final int WIDTH = 560;
    private static final int ROW = 46;

    private Chart() {
    }

    static String svg(Report report) {
        // The half-peak row runs each provider at half its own peak, so its throughput ratio says nothing.
        List<String> names = report.compared().stream().filter(n -> !n.equals(Scenarios.HALF_PEAK)).toList();
        double max = 6;
        for (String n : names) {
            max = Math.max(max, Math.max(report.throughputRatio(n), 1 / report.cpuRatio(n)));
        }
        max = Math.ceil(max);
        int height = 70 + names.size() * ROW + 30;
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "font-family=\"sans-serif\" font-size=\"12\">%n", LEFT + WIDTH + 80, height));
        svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        svg.append(String.format("<text x=\"10\" y=\"20\" font-size=\"14\" font-weight=\"bold\">%s ÷ %s</text>%n",
                report.subject(), report.baseline() == null ? "–" : report.baseline()));
        svg.append("<rect x=\"10\" y=\"32\" width=\"12\" height=\"10\" fill=\"#2b6cb0\"/><text x=\"28\" y=\"41\">throughput ×</text>\n");
        svg.append("<rect x=\"130\" y=\"32\" width=\"12\" height=\"10\" fill=\"#38a169\"/><text x=\"148\" y=\"41\">less server CPU per operation ×</text>\n");
        int top = 60;
        for (int i = 0; i < names.size(); i++) {
            String n = names.get(i);
            int y = top + i * ROW;
            svg.append(String.format(Locale.ROOT, "<text x=\"10\" y=\"%d\">%s</text>%n", y + 20, escape(n)));
            bar(svg, y + 4, report.throughputRatio(n), max, "#2b6cb0");
            bar(svg, y + 22, 1 / report.cpuRatio(n), max, "#38a169");
        }
        double x5 = LEFT + WIDTH * 5 / max;
        double x1 = LEFT + WIDTH * 1 / max;
        int bottom = top + names.size() * ROW;
        svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#c53030\" stroke-dasharray=\"4 3\"/>%n", x5, top - 6, x5, bottom));
        svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" fill=\"#c53030\">5× target</text>%n", x5 - 24, bottom + 16));
        svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#555\"/>%n", x1, top - 6, x1, bottom));
        svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" fill=\"#555\">1×</text>%n", x1 - 6, bottom + 16));
        svg.append("</svg>\n");
        return svg.toString();
    }

    private static void bar(StringBuilder svg, int y, double ratio, double max, String colour) {
        if (Double.isNaN(ratio) || Double.isInfinite(ratio)) {
            return;
        }
        double w = WIDTH * Math.min(ratio, max) / max;
        svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"14\" fill=\"%s\"/>%n", LEFT, y, w, colour));
        svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\">%.1f×</text>%n", LEFT + w + 4, y + 11, ratio));
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;");
    }
}
