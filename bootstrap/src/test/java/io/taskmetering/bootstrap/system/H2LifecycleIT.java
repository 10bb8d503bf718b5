package io.taskmetering.bootstrap.system;

/** {@link LifecycleScenario} on the default embedded H2 file database. */
class H2LifecycleIT extends LifecycleScenario {
    @Override
    SystemTests.Database database(String name) {
        return SystemTests.h2File(name);
    }
}
