package io.latchkey.bench.load;

/**
 * An operation that did not end the way the protocol says it should. Its kind is what the report counts
 * errors by (for example {@code http 400 invalid_grant}, {@code timeout}, {@code no code: login_required}),
 * so it stays short and free of per-request values.
 */
public final class Failure extends RuntimeException {

    private final String kind;

    public Failure(String kind, String detail) {
        super(kind + (detail == null || detail.isEmpty() ? "" : ": " + detail), null, false, false);
        this.kind = kind;
    }

    public Failure(String kind) {
        this(kind, null);
    }

    public String kind() {
        return kind;
    }

    /** The error kind of any throwable: a Failure's own, else its class, so a report never holds a stack trace. */
    public static String kindOf(Throwable t) {
        if (t instanceof Failure f) {
            return f.kind();
        }
        String name = t.getClass().getSimpleName();
        if (name.contains("Timeout")) {
            return "timeout";
        }
        return "io: " + name;
    }
}
