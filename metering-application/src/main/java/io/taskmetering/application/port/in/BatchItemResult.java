package io.taskmetering.application.port.in;

/** The result of one item of a batch, in request order; one bad item never blocks the others. */
public sealed interface BatchItemResult {
    int index();

    record Success(int index, OutcomeResult result) implements BatchItemResult {
    }

    /** The item was refused; {@code field} names what was wrong. Nothing of it was written. */
    record Failure(int index, String field, String message) implements BatchItemResult {
    }
}
