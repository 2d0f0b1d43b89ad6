package io.latchkey.admin.scim.schema;

import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.DateTimeException;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.util.Optional;

/** SCIM's dateTime (RFC 7643 §2.3.5, xsd:dateTime): with an offset, or without one read as UTC. */
public final class ScimDateTime {

    private ScimDateTime() {
    }

    public static Optional<OffsetDateTime> parse(String text) {
        try {
            TemporalAccessor parsed = DateTimeFormatter.ISO_DATE_TIME.parse(text);
            if (parsed.isSupported(ChronoField.OFFSET_SECONDS)) {
                return Optional.of(OffsetDateTime.from(parsed));
            }
            return Optional.of(LocalDateTime.from(parsed).atOffset(ZoneOffset.UTC));
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }
}
