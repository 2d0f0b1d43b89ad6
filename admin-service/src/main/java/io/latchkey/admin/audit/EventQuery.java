package io.latchkey.admin.audit;

import io.latchkey.model.audit.AuditEventType;
import io.latchkey.model.oauth.OAuthError;
import io.latchkey.model.oauth.OAuthException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The filters and page of one GET /admin/events, read from its query parameters. Every parameter is checked:
 * an unknown name, a repeated single value, an unknown event type, a time that is not RFC 3339 or a limit out of
 * range is 400 invalid_request, so that a typo never passes as "no filter".
 *
 * @param types    event types, any of which matches; empty for all
 * @param since    inclusive lower bound of occurred_at
 * @param until    exclusive upper bound of occurred_at
 * @param beforeId the cursor's id: only older events
 */
record EventQuery(Set<String> types, Optional<String> actor, Optional<String> subject, Optional<String> clientId,
        Optional<OffsetDateTime> since, Optional<OffsetDateTime> until, Optional<Long> beforeId, int limit) {

    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 500;
    private static final int MAX_VALUE_LENGTH = 512;
    private static final Set<String> PARAMETERS = Set.of("type", "actor", "subject", "client_id", "since", "until", "cursor", "limit");

    static EventQuery from(Map<String, List<String>> parameters) {
        for (var parameter : parameters.entrySet()) {
            if (!PARAMETERS.contains(parameter.getKey())) {
                throw invalid("Unknown parameter " + parameter.getKey() + "; the filters are " + String.join(", ",
                        new java.util.TreeSet<>(PARAMETERS)) + ".");
            }
            for (String value : parameter.getValue()) {
                if (value.isEmpty() || value.length() > MAX_VALUE_LENGTH) {
                    throw invalid(parameter.getKey() + " must be between 1 and " + MAX_VALUE_LENGTH + " characters.");
                }
            }
        }
        Optional<OffsetDateTime> since = single(parameters, "since").map(v -> time("since", v));
        Optional<OffsetDateTime> until = single(parameters, "until").map(v -> time("until", v));
        if (since.isPresent() && until.isPresent() && since.get().isAfter(until.get())) {
            throw invalid("since is after until.");
        }
        return new EventQuery(types(parameters.getOrDefault("type", List.of())), single(parameters, "actor"),
                single(parameters, "subject"), single(parameters, "client_id"), since, until,
                single(parameters, "cursor").map(EventCursor::read), limit(single(parameters, "limit")));
    }

    /** {@code type=a&type=b} or {@code type=a,b}; each a name of {@link AuditEventType}. */
    private static Set<String> types(List<String> values) {
        Set<String> types = new LinkedHashSet<>();
        for (String value : values) {
            for (String name : value.split(",", -1)) {
                try {
                    types.add(AuditEventType.of(name.strip()).value());
                } catch (IllegalArgumentException e) {
                    throw invalid("type " + name + " is not an audit event type.");
                }
            }
        }
        return types;
    }

    private static Optional<String> single(Map<String, List<String>> parameters, String name) {
        List<String> values = parameters.getOrDefault(name, List.of());
        if (values.size() > 1) {
            throw invalid(name + " is repeated.");
        }
        return values.stream().findFirst();
    }

    /** RFC 3339 §5.6 date-time: an offset is required ("Z" or "+01:00"); the letters may be lower case. */
    private static OffsetDateTime time(String name, String value) {
        try {
            return OffsetDateTime.parse(value.toUpperCase(Locale.ROOT), DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        } catch (DateTimeParseException e) {
            throw invalid(name + " is not an RFC 3339 date-time with an offset (e.g. 2026-01-31T08:00:00Z; encode + as %2B).");
        }
    }

    private static int limit(Optional<String> value) {
        if (value.isEmpty()) {
            return DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(value.get());
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // Answered below, with the range.
        }
        throw invalid("limit must be a whole number from 1 to " + MAX_LIMIT + ".");
    }

    /** The WHERE clause of these filters and its arguments, numbered from $1. */
    String where(List<Object> arguments) {
        List<String> conditions = new ArrayList<>();
        if (!types.isEmpty()) {
            arguments.add(types.toArray(String[]::new));
            conditions.add("type = ANY($" + arguments.size() + ")");
        }
        actor.ifPresent(v -> conditions.add(equal("actor", v, arguments)));
        subject.ifPresent(v -> conditions.add(equal("subject", v, arguments)));
        clientId.ifPresent(v -> conditions.add(equal("client_id", v, arguments)));
        since.ifPresent(v -> {
            arguments.add(v);
            conditions.add("occurred_at >= $" + arguments.size());
        });
        until.ifPresent(v -> {
            arguments.add(v);
            conditions.add("occurred_at < $" + arguments.size());
        });
        beforeId.ifPresent(v -> {
            arguments.add(v);
            conditions.add("id < $" + arguments.size());
        });
        return conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
    }

    private static String equal(String column, String value, List<Object> arguments) {
        arguments.add(value);
        return column + " = $" + arguments.size();
    }

    private static OAuthException invalid(String description) {
        return new OAuthException(OAuthError.INVALID_REQUEST, description);
    }
}
