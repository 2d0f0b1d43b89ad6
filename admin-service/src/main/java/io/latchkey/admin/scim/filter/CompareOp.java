package io.latchkey.admin.scim.filter;

import java.util.Locale;
import java.util.Optional;

/** The comparison operators of RFC 7644 §3.4.2.2 ({@code pr} is {@link Filter.Present}). */
public enum CompareOp {
    EQ, NE, CO, SW, EW, GT, GE, LT, LE;

    /** The operator a keyword names, case-insensitively ({@code Eq} is {@code eq}). */
    public static Optional<CompareOp> of(String keyword) {
        for (CompareOp op : values()) {
            if (op.name().equalsIgnoreCase(keyword)) {
                return Optional.of(op);
            }
        }
        return Optional.empty();
    }

    /** gt, ge, lt, le: meaningful on ordered types only (not booleans). */
    public boolean ordering() {
        return this == GT || this == GE || this == LT || this == LE;
    }

    /** co, sw, ew: meaningful on strings only. */
    public boolean substring() {
        return this == CO || this == SW || this == EW;
    }

    public String keyword() {
        return name().toLowerCase(Locale.ROOT);
    }
}
