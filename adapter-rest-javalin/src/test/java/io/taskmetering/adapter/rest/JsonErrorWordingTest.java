package io.taskmetering.adapter.rest;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static io.taskmetering.adapter.rest.TestApp.ADMIN;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A body the parser refuses is described in plain words with where reading stopped (line, column, JSON pointer),
 * on native routes (the sidecar routes keep the original's "Invalid JSON" for an unreadable body, and name an
 * over-long key as the native routes do): no Java type, parser setting or package name reaches the client.
 */
class JsonErrorWordingTest {
    @RegisterExtension
    static final TestApp app = new TestApp();

    static final String OUTCOME_HEAD = "{\"task_id\":\"t\",\"agent_id\":\"a\",\"subscription_ref\":\"sub-w\",";

    static Stream<Arguments> bodies() {
        String deep = "[".repeat(10_000) + "]".repeat(10_000);
        String longKey = "k".repeat(Json.MAX_KEY_LENGTH + 1);
        return Stream.of(
                Arguments.of("trailing content", OUTCOME_HEAD + "\"evidence\":{}} {}", 400, "body",
                        "content follows the JSON value", "line 1"),
                Arguments.of("nested 10,000 deep", "{\"evidence\":{\"outputs\":{\"x\":" + deep + "}}}", 400, "body",
                        "deeper than " + Json.MAX_NESTING_DEPTH + " levels", "/evidence/outputs/x"),
                Arguments.of("huge number", OUTCOME_HEAD + "\"evidence\":{\"scores\":{\"s\":1" + "0".repeat(2000) + "}}}",
                        400, "body", "longer than " + Json.MAX_NUMBER_DIGITS + " digits", "/evidence/scores/s"),
                Arguments.of("NaN", OUTCOME_HEAD + "\"evidence\":{\"scores\":{\"s\":NaN}}}", 400, "body",
                        "NaN and Infinity are not JSON numbers", "/evidence/scores/s"),
                Arguments.of("Infinity", OUTCOME_HEAD + "\"evidence\":{\"scores\":{\"s\":-Infinity}}}", 400, "body",
                        "NaN and Infinity are not JSON numbers", "/evidence/scores/s"),
                Arguments.of("over-long key", OUTCOME_HEAD + "\"evidence\":{\"outputs\":{\"" + longKey + "\":1}}}", 422,
                        "evidence.outputs", "key longer than " + Json.MAX_KEY_LENGTH + " characters", "line 1"),
                Arguments.of("truncated", OUTCOME_HEAD + "\"evidence\":{\"outputs\":{", 400, "body",
                        "ends before the JSON value is complete", "line 1"),
                Arguments.of("truncated string", OUTCOME_HEAD + "\"evidence\":\"abc", 400, "body",
                        "ends before the JSON value is complete", "line 1"),
                Arguments.of("duplicate key", "{\"task_id\":\"a\",\n\"task_id\":\"b\"}", 400, "body",
                        "a key appears twice in one object", "line 2"),
                Arguments.of("unexpected token", "{\"task_id\": nope}", 400, "body",
                        "unexpected character or token", "/task_id"));
    }

    @ParameterizedTest(name = "{0} on /v1/outcomes")
    @MethodSource("bodies")
    void native_route_names_the_problem_and_its_location(String name, String body, int status, String field,
                                                         String reason, String location) {
        var r = app.post("/v1/outcomes", ADMIN, body);

        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        assertThat(r.contentType()).startsWith(Problem.CONTENT_TYPE);
        assertThat(r.header("X-Request-Id")).isNotBlank();
        assertThat(r.errorFields()).as(r.toString()).containsExactly(field);
        assertThat(r.json().path("detail").asText()).as(r.toString()).contains(reason).contains(location);
        assertNoInternals(r);
    }

    @ParameterizedTest(name = "{0} on /evaluate")
    @MethodSource("bodies")
    void sidecar_route_names_the_problem_and_its_location(String name, String body, int status, String field,
                                                          String reason, String location) {
        var r = app.post("/evaluate", ADMIN, body);

        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        assertThat(r.header("X-Request-Id")).isNotBlank();
        if (status == 400) {
            // the original sidecar's exact words for any unreadable body, which drop-in clients may match on
            assertThat(r.json().path("error").asText()).isEqualTo("Invalid JSON");
        } else {
            assertThat(r.json().path("error").asText()).as(r.toString()).contains(reason).contains(location);
        }
        assertNoInternals(r);
    }

    private static void assertNoInternals(TestApp.Resp r) {
        assertThat(r.text()).as(r.toString()).doesNotContain("com.fasterxml", "org.eclipse", "java.", "Jackson",
                "JsonNode", "StreamReadConstraints", "JsonReadFeature", "Exception", "\tat ");
    }
}
