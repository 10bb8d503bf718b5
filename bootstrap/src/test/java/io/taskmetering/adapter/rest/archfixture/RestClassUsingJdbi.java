package io.taskmetering.adapter.rest.archfixture;

import io.taskmetering.adapter.persistence.PersistenceModule;

/** Deliberate violation, compiled only in tests: one adapter reaching into another. The rules must reject it. */
public final class RestClassUsingJdbi {
    private final PersistenceModule persistence;

    public RestClassUsingJdbi(PersistenceModule persistence) {
        this.persistence = persistence;
    }

    public PersistenceModule persistence() {
        return persistence;
    }
}
