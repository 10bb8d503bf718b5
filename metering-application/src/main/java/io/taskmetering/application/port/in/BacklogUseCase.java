package io.taskmetering.application.port.in;

public interface BacklogUseCase {
    /** What is waiting: for the Marketplace, and for a person. */
    Backlog backlog();
}
