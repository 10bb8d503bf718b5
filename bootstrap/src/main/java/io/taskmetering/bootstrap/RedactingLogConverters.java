package io.taskmetering.bootstrap;

import ch.qos.logback.classic.pattern.ExtendedThrowableProxyConverter;
import ch.qos.logback.classic.pattern.KeyValuePairConverter;
import ch.qos.logback.classic.pattern.MessageConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/**
 * The message, key/value pairs and stack trace of every log line pass through {@link Redactor}, whichever library
 * wrote them: a connection pool or driver that logs a JDBC URL at some level, or an exception message that repeats
 * one, shows no password. Used by {@code logback.xml}.
 */
public final class RedactingLogConverters {
    private RedactingLogConverters() {
    }

    public static final class Message extends MessageConverter {
        @Override
        public String convert(ILoggingEvent event) {
            return Redactor.text(super.convert(event));
        }
    }

    public static final class KeyValuePairs extends KeyValuePairConverter {
        @Override
        public String convert(ILoggingEvent event) {
            return Redactor.text(super.convert(event));
        }
    }

    public static final class StackTrace extends ExtendedThrowableProxyConverter {
        @Override
        public String convert(ILoggingEvent event) {
            return Redactor.text(super.convert(event));
        }
    }
}
