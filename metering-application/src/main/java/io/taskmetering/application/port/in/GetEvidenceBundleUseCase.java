package io.taskmetering.application.port.in;

import java.util.Optional;

public interface GetEvidenceBundleUseCase {
    Optional<EvidenceBundle> bundle(GetEvidenceBundleQuery query);
}
