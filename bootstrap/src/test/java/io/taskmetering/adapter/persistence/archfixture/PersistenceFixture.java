package io.taskmetering.adapter.persistence.archfixture;

/** Stands for any persistence adapter class in the deliberate-violation test; compiled only in tests. */
public final class PersistenceFixture {
    public String name() {
        return "persistence";
    }
}
