package io.taskmetering.adapter.rest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
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
    /** Longer than any field name or evidence key a client has reason to send. */
    static final int MAX_KEY_LENGTH = 1000;
    static final int MAX_NUMBER_DIGITS = 1000;

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
                        .maxNumberLength(MAX_NUMBER_DIGITS)
                        .maxNameLength(MAX_KEY_LENGTH)
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
     * duplicate keys or excessive nesting, 422 naming the enclosing object for an over-long key; an empty body is
     * {@code null}. Each detail is a plain sentence with the line, column and JSON pointer where reading stopped.
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
        JsonParser parser = null;
        try (JsonParser created = mapper.createParser(text)) {
            parser = created;
            JsonNode node = mapper.readTree(parser);
            if (parser.nextToken() != null) {
                throw ApiException.badRequest("body", "must hold exactly one JSON value");
            }
            return node;
        } catch (StreamConstraintsException e) {
            throw refusal(e, parser);
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("body", "is not valid JSON: " + plainReason(e) + where(parser));
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

    /** A limit of the parser: an over-long key is a value breaking a rule (422), too deep or too long a number is unreadable. */
    private static ApiException refusal(StreamConstraintsException e, JsonParser parser) {
        String message = String.valueOf(e.getOriginalMessage());
        if (message.startsWith("Name length")) {
            String enclosing = parser == null ? "" : dotted(parser.getParsingContext().pathAsPointer().toString());
            return ApiException.unprocessable(enclosing.isEmpty() ? "body" : enclosing,
                    "has a key longer than " + MAX_KEY_LENGTH + " characters" + where(parser));
        }
        if (message.startsWith("Document nesting depth")) {
            return ApiException.badRequest("body", "nests objects and arrays deeper than " + MAX_NESTING_DEPTH
                    + " levels" + where(parser));
        }
        if (message.startsWith("Number value length")) {
            return ApiException.badRequest("body", "has a number longer than " + MAX_NUMBER_DIGITS + " digits"
                    + where(parser));
        }
        return ApiException.badRequest("body", "is larger than the parser accepts" + where(parser));
    }

    /**
     * Jackson's reason in the API's words: its own messages name Java types and parser settings
     * ({@code JsonNode}, {@code JsonReadFeature}), and may quote the input back.
     */
    private static String plainReason(JsonProcessingException e) {
        String message = String.valueOf(e.getOriginalMessage());
        if (e instanceof JsonEOFException || message.startsWith("Unexpected end-of-input")) {
            return "the body ends before the JSON value is complete";
        }
        if (message.startsWith("Trailing token")) {
            return "content follows the JSON value";
        }
        if (message.startsWith("Duplicate field")) {
            return "a key appears twice in one object";
        }
        if (message.contains("NON_NUMERIC_NUMBERS")) {
            return "NaN and Infinity are not JSON numbers";
        }
        if (message.contains("Invalid UTF-8") || message.contains("Illegal unquoted character")) {
            return "a string holds an unescaped control character";
        }
        if (message.startsWith("Unexpected character") || message.startsWith("Unrecognized token")) {
            return "an unexpected character or token";
        }
        return "the text is not well-formed JSON";
    }

    /** Where reading stopped: line, column and the JSON pointer of the value being read. */
    private static String where(JsonParser parser) {
        if (parser == null) {
            return "";
        }
        var location = parser.currentLocation();
        String pointer = parser.getParsingContext().pathAsPointer().toString();
        return " (at line " + location.getLineNr() + ", column " + location.getColumnNr()
                + ", JSON pointer '" + pointer + "')";
    }

    /** A JSON pointer as the API names fields: {@code /evidence/traces/0/x} is {@code evidence.traces[0].x}. */
    private static String dotted(String pointer) {
        StringBuilder name = new StringBuilder();
        for (String token : pointer.split("/")) {
            if (token.isEmpty()) {
                continue;
            }
            String key = token.replace("~1", "/").replace("~0", "~");
            if (key.chars().allMatch(Character::isDigit) && !name.isEmpty()) {
                name.append('[').append(key).append(']');
            } else {
                name.append(name.isEmpty() ? "" : ".").append(key);
            }
        }
        return name.toString();
    }
}
