package io.taskmetering.adapter.rest.archfixture;

import io.taskmetering.adapter.persistence.archfixture.PersistenceFixture;

/** Deliberate violation, compiled only in tests: one adapter reaching into another. The rules must reject it. */
public final class RestClassUsingPersistence {
    private final PersistenceFixture persistence;

    public RestClassUsingPersistence(PersistenceFixture persistence) {
        this.persistence = persistence;
    }

    public String persistenceName() {
        return persistence.name();
    }
}
