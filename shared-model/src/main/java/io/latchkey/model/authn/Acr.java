package io.latchkey.model.authn;

import java.util.List;

/**
 * The authentication context classes Latchkey offers (OIDC Core §2 {@code acr}, §3.1.2.1 {@code acr_values}):
 * one or more factors. A relying party asks for multi-factor with {@code acr_values}, and reads the ID token's
 * {@code acr} to see which it got; the class follows from the session's {@link Amr} values, so the two never
 * disagree.
 */
public final class Acr {

    public static final String SINGLE_FACTOR = "urn:latchkey:acr:single-factor";
    public static final String MULTI_FACTOR = "urn:latchkey:acr:multi-factor";

    /** For discovery's {@code acr_values_supported}, weakest first. */
    public static final List<String> SUPPORTED = List.of(SINGLE_FACTOR, MULTI_FACTOR);

    private Acr() {
    }

    public static String of(List<String> amr) {
        return Amr.isMultiFactor(amr) ? MULTI_FACTOR : SINGLE_FACTOR;
    }

    /**
     * Whether {@code acr_values} demands multi-factor: every class it names that Latchkey knows is multi-factor.
     * A list that also accepts single-factor leaves the choice to the policy; unknown values are ignored, as OIDC
     * Core §3.1.2.1 makes acr_values a voluntary request.
     */
    public static boolean demandsMultiFactor(List<String> acrValues) {
        List<String> known = acrValues.stream().filter(SUPPORTED::contains).toList();
        return !known.isEmpty() && known.stream().allMatch(MULTI_FACTOR::equals);
    }
}
