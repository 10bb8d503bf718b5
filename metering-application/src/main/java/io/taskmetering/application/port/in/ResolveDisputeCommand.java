package io.taskmetering.application.port.in;

import io.taskmetering.domain.common.CorrelationId;
import io.taskmetering.domain.common.InvalidValueException;
import io.taskmetering.domain.common.Require;

import java.util.Locale;

/** Ends a dispute: uphold (the charge stands) or reverse (ledgered reversal, a credit when already invoiced). */
public record ResolveDisputeCommand(CorrelationId correlationId, Resolution resolution, String actor, String note) {
    public enum Resolution {
        UPHOLD, REVERSE;

        public static Resolution parse(String value) {
            if (value != null) {
                for (Resolution r : values()) {
                    if (r.name().equalsIgnoreCase(value.trim())) {
                        return r;
                    }
                }
            }
            throw new InvalidValueException("decision", "must be uphold or reverse");
        }

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public ResolveDisputeCommand {
        Require.present("correlation_id", correlationId);
        Require.present("decision", resolution);
        Require.id("actor", actor);
        if (note != null) {
            Require.text("note", note, 2000);
        }
    }
}
