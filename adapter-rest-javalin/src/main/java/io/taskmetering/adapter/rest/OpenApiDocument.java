package io.taskmetering.adapter.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The OpenAPI 3 document served at {@code GET /openapi.json}: the hand-written {@code openapi.yaml} next to this class,
 * converted to JSON once. It is not derived from the route table, so a test comparing the two catches a route added
 * on one side only.
 */
final class OpenApiDocument {
    static final String RESOURCE = "openapi.yaml";

    private OpenApiDocument() {
    }

    /** The document as JSON bytes; a missing or unreadable resource is a build mistake and fails start-up. */
    static byte[] json() {
        try (InputStream yaml = OpenApiDocument.class.getResourceAsStream(RESOURCE)) {
            if (yaml == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the classpath");
            }
            JsonNode document = new YAMLMapper().readTree(yaml);
            return new ObjectMapper().writeValueAsBytes(document);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }
}
