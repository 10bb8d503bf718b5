package io.taskmetering.application.port.out;

import io.taskmetering.application.model.InsertResult;
import io.taskmetering.application.model.StoredActivation;

/** Stores contract activations; a scope has one activation per instant, by a unique key, and rows never change. */
public interface SaveActivationsPort {
    /** Inserts the activation unless its scope already has one at that instant; never updates. */
    InsertResult insertActivation(StoredActivation activation);
}
