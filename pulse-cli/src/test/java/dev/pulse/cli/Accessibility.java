package dev.pulse.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Accessibility basics of a page as Chromium renders it: every control and every image (a chart is an
 * {@code <svg role="img">}) has a name in the browser's accessibility tree, and every piece of visible text has
 * a contrast ratio of at least 4.5:1 against its background (WCAG 2.2, success criterion 1.4.3, level AA).
 */
final class Accessibility {
    /** Roles that a user operates or that carry meaning as a picture: each needs an accessible name. */
    private static final List<String> NAMED_ROLES = List.of("button", "link", "textbox", "searchbox", "combobox",
            "checkbox", "radio", "slider", "spinbutton", "switch", "listbox", "menuitem", "tab", "DisclosureTriangle",
            "image");
    private static final Pattern RGB = Pattern.compile("rgba?\\((\\d+), (\\d+), (\\d+)(?:, ([0-9.]+))?\\)");

    /**
     * The text colour and background of each distinct pair on the page, with an example of its text: the colour
     * of the text node's element ({@code fill} for SVG text), the background of the nearest ancestor that has one.
     * Collapsed sections are opened first, so that their text is rendered and counted.
     */
    private static final String COLOURS = """
            (() => {
              document.querySelectorAll('details').forEach(d => d.open = true);
              const pairs = new Map();
              const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
              for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                const element = node.parentElement;
                if (!node.data.trim() || !element.getClientRects().length) continue;
                const style = getComputedStyle(element);
                if (style.visibility !== 'visible') continue;
                const colour = element instanceof SVGElement ? style.fill : style.color;
                let background = 'rgb(255, 255, 255)';
                for (let e = element; e; e = e.parentElement) {
                  const b = getComputedStyle(e).backgroundColor;
                  if (b !== 'rgba(0, 0, 0, 0)' && b !== 'transparent') { background = b; break; }
                }
                const key = colour + ' on ' + background;
                if (!pairs.has(key)) pairs.set(key, {colour, background, text: node.data.trim().slice(0, 40)});
              }
              return [...pairs.values()];
            })()
            """;

    private Accessibility() {}

    /** What is missing on {@code page}: one line per unnamed control or image and per text colour with low contrast. */
    static List<String> problems(Chromium.Page page) throws InterruptedException {
        List<String> problems = new ArrayList<>();
        JsonNode pairs = page.evaluate(COLOURS);
        if (pairs.isEmpty()) {
            problems.add("no visible text found");
        }
        for (JsonNode pair : pairs) {
            double ratio = contrast(rgb(pair.get("colour").asText()), rgb(pair.get("background").asText()));
            if (ratio < 4.5) {
                problems.add(String.format(Locale.ROOT, "contrast %.2f:1 of %s on %s, e.g. \"%s\"", ratio,
                        pair.get("colour").asText(), pair.get("background").asText(), pair.get("text").asText()));
            }
        }
        for (JsonNode node : page.accessibilityTree()) {
            String role = node.path("role").path("value").asText();
            if (!node.path("ignored").asBoolean() && NAMED_ROLES.contains(role)
                    && node.path("name").path("value").asText().isBlank()) {
                problems.add("role " + role + " without an accessible name (node " + node.get("nodeId").asText() + ")");
            }
        }
        return problems;
    }

    /** How many objects of {@code role} the accessibility tree has (not ignored). */
    static long count(Chromium.Page page, String role) {
        long count = 0;
        for (JsonNode node : page.accessibilityTree()) {
            if (!node.path("ignored").asBoolean() && node.path("role").path("value").asText().equals(role)) {
                count++;
            }
        }
        return count;
    }

    /** WCAG 2.2 contrast ratio (L1 + 0.05) / (L2 + 0.05) of two sRGB colours, L1 the lighter one's luminance. */
    static double contrast(int[] first, int[] second) {
        double a = luminance(first);
        double b = luminance(second);
        return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    }

    /** WCAG 2.2's relative luminance: 0.2126 R + 0.7152 G + 0.0722 B of the linearised channels. */
    private static double luminance(int[] rgb) {
        double[] linear = new double[3];
        for (int i = 0; i < 3; i++) {
            double channel = rgb[i] / 255.0;
            linear[i] = channel <= 0.04045 ? channel / 12.92 : Math.pow((channel + 0.055) / 1.055, 2.4);
        }
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2];
    }

    /** An opaque {@code rgb(…)} colour as the browser computes it; anything else cannot be judged here and fails. */
    private static int[] rgb(String css) {
        Matcher matcher = RGB.matcher(css);
        if (!matcher.matches() || matcher.group(4) != null && Double.parseDouble(matcher.group(4)) < 1) {
            throw new AssertionError("not an opaque rgb() colour, so its contrast is not computed here: " + css);
        }
        return new int[] {Integer.parseInt(matcher.group(1)), Integer.parseInt(matcher.group(2)),
                Integer.parseInt(matcher.group(3))};
    }
}
