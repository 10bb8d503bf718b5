package io.taskmetering.adapter.rest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The JSON of the API: snake_case field names, nulls written (Jackson's default inclusion), no Java type leaks. Reading is strict: the body must be
 * valid UTF-8 and one JSON value with no trailing content, duplicate keys are refused, nesting is bounded, and
 * decimals keep their exact value (BigDecimal), so evidence hashes what the caller sent.
 */
final class Json {
    /** Deep enough for any evidence the domain accepts (it bounds outputs itself), shallow enough to be cheap. */
    static final int MAX_NESTING_DEPTH = 64;

    private final ObjectMapper mapper;

    /**
     * @param maxBodyBytes the body limit; Jackson's own string limit is set to it, so that the API's smaller
     *                     per-field limit is what refuses a long string (naming the field), not the parser
     */
    Json(long maxBodyBytes) {
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(MAX_NESTING_DEPTH)
                        .maxStringLength((int) Math.min(Integer.MAX_VALUE, Math.max(maxBodyBytes, 1024)))
                        .maxNumberLength(1000)
                        .build())
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
        this.mapper = JsonMapper.builder(factory)
                .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .addModule(new JavaTimeModule())
                .build();
    }

    ObjectMapper mapper() {
        return mapper;
    }

    /**
     * Parses a request body. Throws {@link ApiException} 400 naming {@code body} for invalid UTF-8, malformed JSON,
     * duplicate keys or excessive nesting; an empty body is {@code null}.
     */
    JsonNode parse(byte[] body) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body))
                    .toString();
        } catch (CharacterCodingException e) {
            throw ApiException.badRequest("body", "is not valid UTF-8");
        }
        if (text.isBlank()) {
            return null;
        }
        try (JsonParser parser = mapper.createParser(text)) {
            JsonNode node = mapper.readTree(parser);
            if (parser.nextToken() != null) {
                throw ApiException.badRequest("body", "must hold exactly one JSON value");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("body", "is not valid JSON (" + describe(e) + ")");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    byte[] write(Object value) {
        try {
            return mapper.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("response not serializable: " + value.getClass().getName(), e);
        }
    }

    /** Jackson's message without the source excerpt (which could echo secrets or huge input back). */
    private static String describe(JsonProcessingException e) {
        String message = e.getOriginalMessage();
        if (message == null) {
            return "unreadable";
        }
        message = message.replaceAll("[\\r\\n\\t]+", " ");
        if (message.length() > 200) {
            message = message.substring(0, 200) + "…";
        }
        var location = e.getLocation();
        return location == null ? message : message + " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }
}
