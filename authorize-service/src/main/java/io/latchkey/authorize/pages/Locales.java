package io.latchkey.authorize.pages;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Picks the language of a page: the first supported entry of {@code ui_locales} (OIDC Core §3.1.2.1),
 * else the best match of the browser's {@code Accept-Language} (RFC 9110 §12.5.4), else English.
 */
public final class Locales {

    public static final List<Locale> SUPPORTED = List.of(Locale.ENGLISH, Locale.GERMAN);

    private Locales() {
    }

    public static Locale choose(List<String> uiLocales, String acceptLanguage) {
        for (String tag : uiLocales) {
            Locale match = supported(Locale.forLanguageTag(tag));
            if (match != null) {
                return match;
            }
        }
        if (acceptLanguage != null && !acceptLanguage.isBlank() && acceptLanguage.length() < 512) {
            try {
                List<Locale.LanguageRange> ranges = Locale.LanguageRange.parse(acceptLanguage);
                Locale match = Locale.lookup(ranges, SUPPORTED);
                if (match != null) {
                    return match;
                }
            } catch (IllegalArgumentException malformed) {
                // A malformed header is no preference at all.
            }
        }
        return Locale.ENGLISH;
    }

    public static List<String> tags() {
        List<String> tags = new ArrayList<>();
        SUPPORTED.forEach(l -> tags.add(l.toLanguageTag()));
        return tags;
    }

    private static Locale supported(Locale wanted) {
        return SUPPORTED.stream().filter(l -> l.getLanguage().equals(wanted.getLanguage())).findFirst().orElse(null);
    }
}
