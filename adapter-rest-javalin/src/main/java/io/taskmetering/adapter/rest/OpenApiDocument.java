package io.taskmetering.adapter.rest;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The OpenAPI 3 document served at {@code GET /openapi.json}, written by hand (not derived from the route table, so
 * a test comparing the two catches a route added on one side only).
 */
final class OpenApiDocument {
    private static final String PROBLEM = "application/problem+json";
    private static final String JSON = "application/json";

    private final Map<String, Object> paths = new LinkedHashMap<>();
    private final Map<String, Object> schemas = new LinkedHashMap<>();

    private OpenApiDocument() {
    }

    static Map<String, Object> build() {
        return new OpenApiDocument().document();
    }

    // ---- schema helpers -------------------------------------------------------------------------------------------

    private static Map<String, Object> map(Object... keyValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put((String) keyValues[i], keyValues[i + 1]);
        }
        return map;
    }

    private static Map<String, Object> str() {
        return map("type", "string");
    }

    private static Map<String, Object> str(String description) {
        return map("type", "string", "description", description);
    }

    private static Map<String, Object> nstr() {
        return map("type", "string", "nullable", true);
    }

    private static Map<String, Object> time() {
        return map("type", "string", "format", "date-time", "description", "UTC ISO-8601 with Z");
    }

    private static Map<String, Object> ntime() {
        return map("type", "string", "format", "date-time", "nullable", true);
    }

    private static Map<String, Object> integer() {
        return map("type", "integer", "format", "int64");
    }

    private static Map<String, Object> count() {
        return map("type", "integer", "format", "int64", "minimum", 0);
    }

    private static Map<String, Object> number() {
        return map("type", "number");
    }

    private static Map<String, Object> bool() {
        return map("type", "boolean");
    }

    private static Map<String, Object> array(Map<String, Object> items) {
        return map("type", "array", "items", items);
    }

    private static Map<String, Object> ref(String name) {
        return map("$ref", "#/components/schemas/" + name);
    }

    private static Map<String, Object> nullableRef(String name) {
        return map("nullable", true, "allOf", List.of(ref(name)));
    }

    private static Map<String, Object> freeObject() {
        return map("type", "object", "additionalProperties", true);
    }

    /** An object schema: {@code props} are name/schema pairs; names ending in {@code ?} are optional. */
    private static Map<String, Object> object(boolean closed, Object... props) {
        Map<String, Object> properties = new LinkedHashMap<>();
        List<String> required = new ArrayList<>();
        for (int i = 0; i < props.length; i += 2) {
            String name = (String) props[i];
            if (name.endsWith("?")) {
                name = name.substring(0, name.length() - 1);
            } else {
                required.add(name);
            }
            properties.put(name, props[i + 1]);
        }
        Map<String, Object> schema = map("type", "object", "properties", properties);
        if (!required.isEmpty()) {
            schema.put("required", required);
        }
        if (closed) {
            schema.put("additionalProperties", false);
        }
        return schema;
    }

    private void schema(String name, Map<String, Object> schema) {
        schemas.put(name, schema);
    }

    private static Map<String, Object> page(String item) {
        return object(false, "data", array(ref(item)), "next_cursor",
                map("type", "string", "nullable", true, "description", "pass as cursor for the next page; null on the last"));
    }

    // ---- operation helpers ----------------------------------------------------------------------------------------

    private static Map<String, Object> query(String name, Map<String, Object> schema, String description) {
        return map("name", name, "in", "query", "required", false, "schema", schema, "description", description);
    }

    private static Map<String, Object> requiredQuery(String name, Map<String, Object> schema, String description) {
        return map("name", name, "in", "query", "required", true, "schema", schema, "description", description);
    }

    private static Map<String, Object> pathParam(String name) {
        return map("name", name, "in", "path", "required", true, "schema", str());
    }

    private static Map<String, Object> json(String schemaName) {
        return map("content", map(JSON, map("schema", ref(schemaName))));
    }

    private static Map<String, Object> response(String description, String schemaName) {
        Map<String, Object> response = map("description", description);
        if (schemaName != null) {
            response.putAll(json(schemaName));
        }
        return response;
    }

    private static Map<String, Object> problem(String description) {
        return map("description", description, "content", map(PROBLEM, map("schema", ref("Problem"))));
    }

    private static Map<String, Object> sidecarError(String description) {
        return map("description", description, "content", map(JSON, map("schema", ref("SidecarError"))));
    }

    private static final class Op {
        final Map<String, Object> body = new LinkedHashMap<>();
        final Map<String, Object> responses = new LinkedHashMap<>();
        final List<Object> parameters = new ArrayList<>();

        Op(String tag, String summary, String description, Access access) {
            body.put("tags", List.of(tag));
            body.put("summary", summary);
            body.put("description", description + (access == Access.PUBLIC ? "" : " Roles: " + access.describe() + "."));
            if (access != Access.PUBLIC) {
                body.put("security", List.of(map("bearerAuth", List.of())));
            }
        }

        Op params(Object... params) {
            parameters.addAll(Arrays.asList(params));
            return this;
        }

        Op request(String schemaName, boolean required) {
            body.put("requestBody", map("required", required, "content", map(JSON, map("schema", ref(schemaName)))));
            return this;
        }

        Op respond(int status, Map<String, Object> response) {
            responses.put(Integer.toString(status), response);
            return this;
        }

        Map<String, Object> done() {
            if (!parameters.isEmpty()) {
                body.put("parameters", parameters);
            }
            body.put("responses", responses);
            return body;
        }
    }

    private void add(String method, String path, Op op) {
        @SuppressWarnings("unchecked")
        Map<String, Object> item = (Map<String, Object>) paths.computeIfAbsent(path, p -> new LinkedHashMap<>());
        item.put(method, op.done());
    }

    /** The errors every authenticated native route may answer. */
    private static Op nativeErrors(Op op, boolean body) {
        op.respond(401, problem("no valid API key")).respond(403, problem("role or subscription outside the key"));
        if (body) {
            op.respond(400, problem("unreadable body: not JSON, not an object, wrong type, unknown or missing field"))
                    .respond(413, problem("body larger than the limit (default 1 MiB)"))
                    .respond(415, problem("Content-Type is not application/json"))
                    .respond(422, problem("a value breaks a rule: blank, too long, negative, out of range"));
        } else {
            op.respond(400, problem("unknown or malformed query parameter"))
                    .respond(422, problem("a query value breaks a rule"));
        }
        return op;
    }

    private static Op sidecarErrors(Op op) {
        return op.respond(400, sidecarError("Invalid JSON, Missing fields: a, b, or a field of the wrong type"))
                .respond(401, sidecarError("no valid API key"))
                .respond(403, sidecarError("role or subscription outside the key"))
                .respond(413, sidecarError("body larger than the limit"));
    }

    // ---- the document ---------------------------------------------------------------------------------------------

    private Map<String, Object> document() {
        schemas();
        outcomes();
        charges();
        usageEvents();
        usage();
        sidecar();
        operations();
        return map(
                "openapi", "3.0.3",
                "info", map("title", "agent-task-metering API", "version", "1",
                        "description", "Bill AI agents for outcomes, not attempts. JSON with snake_case fields; "
                                + "timestamps UTC ISO-8601 with Z (a timestamp without a zone is refused); errors of "
                                + "native routes are application/problem+json; sidecar routes answer {\"error\": \"...\"}. "
                                + "Every response carries X-Request-Id (the caller's, when sent and well-formed)."),
                "paths", paths,
                "components", map(
                        "securitySchemes", map("bearerAuth", map("type", "http", "scheme", "bearer",
                                "description", "API key from configuration, with role agent, reader or admin and "
                                        + "optional subscription scope")),
                        "schemas", schemas));
    }

    private void schemas() {
        schema("Problem", object(false, "type", str(), "title", str(), "status", integer(), "detail", str(),
                "errors", array(object(false, "field", str("dotted path of the field, e.g. outcomes[3].task_id"),
                        "message", str()))));
        schema("SidecarError", object(false, "error", str()));
        schema("Status", object(false, "status", str()));
        schema("TraceSpan", object(true, "span_id", str(), "parent_span_id?", str(), "tool_name?", str(),
                "status?", str(), "started_at?", time(), "ended_at?", time()));
        schema("Evidence", object(true, "outputs?", freeObject(), "traces?", array(ref("TraceSpan")),
                "scores?", map("type", "object", "additionalProperties", number()), "query?", str(), "response?", str()));
        schema("UsageCounts", object(true, "tokens_in?", count(), "tokens_out?", count(), "duration_ms?", count(),
                "api_calls?", count()));
        Object[] outcomeFields = {"task_id", str(), "agent_id", str(), "subscription_ref", str(),
                "correlation_id?", str("idempotency key: the same id again returns the stored result"),
                "occurred_at?", time(), "workflow_id?", str(), "agent_version?", str(), "dimension?", str(),
                "plan_id?", str(), "evidence?", ref("Evidence")};
        Object[] withUsage = Arrays.copyOf(outcomeFields, outcomeFields.length + 2);
        withUsage[outcomeFields.length] = "usage?";
        withUsage[outcomeFields.length + 1] = ref("UsageCounts");
        schema("OutcomeRequest", object(true, withUsage));
        schema("EvaluationRequest", object(true, outcomeFields));
        schema("OutcomeBatchRequest", object(true, "outcomes", map("type", "array", "minItems", 1, "maxItems", 1000,
                "items", ref("OutcomeRequest"))));
        Object[] resultFields = {"correlation_id", str(), "task_id", str(), "subscription_ref", str(),
                "intent_handled", bool(), "adhered", bool(), "billable_units", integer(),
                "reason_codes", array(str()), "review_reasons", array(str()),
                "charge_state", map("type", "string", "nullable", true, "enum", Arrays.asList("QUALIFIED", "PENDING_REVIEW", null)),
                "duplicate", bool(), "charge_correlation_id", nstr(), "late", bool(), "billing_hour", ntime(),
                "contract_version", str(), "evidence_sha256", str(), "replayed", bool()};
        schema("OutcomeResult", object(false, resultFields));
        Object[] itemFields = Arrays.copyOf(resultFields, resultFields.length + 6);
        int n = resultFields.length;
        itemFields[n] = "index";
        itemFields[n + 1] = integer();
        itemFields[n + 2] = "status";
        itemFields[n + 3] = integer();
        itemFields[n + 4] = "error?";
        itemFields[n + 5] = ref("Problem");
        for (int i = 0; i < n; i += 2) {
            itemFields[i] = itemFields[i] + "?";
        }
        schema("OutcomeBatchItem", object(false, itemFields));
        schema("OutcomeBatchResult", object(false, "results", array(ref("OutcomeBatchItem"))));
        schema("EvaluationResult", object(false, "correlation_id", str(), "task_id", str(), "subscription_ref", str(),
                "intent_handled", bool(), "adhered", bool(), "billable_units", integer(), "reason_codes", array(str()),
                "review_reasons", array(str()), "contract_version", str(), "evidence_sha256", str(), "replayed", bool()));
        schema("Gate", object(false, "gate", str(), "outcome", map("type", "string", "enum", List.of("passed", "failed", "skipped")),
                "reason_code", str()));
        schema("Decision", object(false, "intent_handled", bool(), "adhered", bool(), "billable_units", integer(),
                "reason_codes", array(str()), "gates", array(ref("Gate")), "review_reasons", array(str()),
                "contract_version", str(), "evidence_sha256", str()));
        schema("Charge", object(false, "correlation_id", str(), "subscription_ref", str(), "dimension", str(),
                "task_id", str(), "agent_id", str(), "dedupe_scope", str(), "state",
                map("type", "string", "enum", List.of("PENDING_REVIEW", "QUALIFIED", "BILLABLE", "DISPUTED", "REVERSED", "WAIVED")),
                "disputed_from", nstr(), "billing_hour", time(), "late", bool(), "counted", bool(),
                "occurred_at", time(), "hold_reasons", array(str()), "version", integer(), "updated_at", time()));
        schema("LedgerEntry", object(false, "entry_id", str(), "correlation_id", str(), "subscription_ref", str(),
                "task_id", str(), "dimension", str(), "type",
                map("type", "string", "enum", List.of("CHARGE", "STATE_CHANGE", "REVERSAL", "CREDIT")),
                "from_state", nstr(), "to_state", str(), "hour", time(), "actor", str(), "reason", nstr(),
                "rule_version", str(), "at", time(), "linked_entry_id", nstr()));
        schema("SubmissionAttempt", object(false, "number", integer(), "request_id", nstr(), "correlation_id", nstr(),
                "at", ntime(), "http_status", map("type", "integer", "nullable", true), "outcome", nstr(), "detail", nstr()));
        schema("UsageEvent", object(false, "subscription_ref", str(), "dimension", str(), "hour", time(),
                "quantity", integer(), "plan_id", str(), "status",
                map("type", "string", "enum", List.of("PENDING", "ACCEPTED", "DRY_RUN", "DISCREPANCY", "EXPIRED", "REJECTED")),
                "usage_event_id", nstr(), "message_time", ntime(), "attempts", integer(), "last_error", nstr(),
                "created_at", ntime(), "updated_at", ntime()));
        schema("EvidenceBundle", object(false, "correlation_id", str(), "kind",
                map("type", "string", "enum", List.of("metered", "evaluation_only")), "task_id", str(), "agent_id", str(),
                "subscription_ref", str(), "dimension", str(), "plan_id", str(), "occurred_at", time(),
                "received_at", time(), "metadata", map("type", "object", "additionalProperties", str()),
                "decision", ref("Decision"), "evidence", ref("Evidence"),
                "evidence_canonicalization", map("type", "string", "enum", List.of("RFC8785", "legacy"), "description",
                        "How decision.evidence_sha256 was computed: SHA-256 over the RFC 8785 (JCS) form of evidence, "
                                + "or, for decisions stored before RFC 8785 was adopted, over the legacy form"),
                "outcome", map("nullable", true, "allOf", List.of(object(false, "charge_state", nstr(), "duplicate", bool(),
                        "charge_correlation_id", nstr(), "late", bool(), "billing_hour", ntime()))),
                "charge", nullableRef("Charge"), "history", array(ref("LedgerEntry")),
                "usage_event", nullableRef("UsageEvent"), "submission_attempts", array(ref("SubmissionAttempt"))));
        schema("ChargePage", page("Charge"));
        schema("CreditPage", page("LedgerEntry"));
        schema("Anomaly", object(false, "id", str(), "type", str(), "subscription_ref", str(), "timestamp", time(),
                "detail", str(), "cap_type", nstr(), "cap_value", map("type", "integer", "nullable", true),
                "actual_value", map("type", "integer", "nullable", true), "task_id", nstr(), "correlation_id", nstr(),
                "dimension", nstr(), "hour", ntime()));
        schema("AnomalyPage", page("Anomaly"));
        schema("UsageEventPage", page("UsageEvent"));
        schema("NoteRequest", object(true, "note?", str()));
        schema("DisputeRequest", object(true, "reason", str()));
        schema("ResolveRequest", object(true, "decision", map("type", "string", "enum", List.of("uphold", "reverse")),
                "note?", str()));
        schema("EmptyRequest", object(true));
        schema("SubmitResult", object(false,
                "closed", array(object(false, "subscription_ref", str(), "dimension", str(), "hour", time(),
                        "quantity", integer(), "plan_id", str())),
                "closed_empty", array(object(false, "subscription_ref", str(), "dimension", str(), "hour", time())),
                "submissions", array(object(false, "subscription_ref", str(), "dimension", str(), "hour", time(),
                        "status", str(), "usage_event_id", nstr(), "marketplace_quantity", map("type", "integer", "nullable", true),
                        "error_code", nstr(), "error_message", nstr(), "attempts", array(ref("SubmissionAttempt")))),
                "charges_invoiced", integer()));
        schema("UsageRecord", object(true, "task_id", str(), "agent_id", str(), "consumer_id", str(),
                "tokens_in", count(), "tokens_out", count(), "duration_ms", count(), "api_calls", count(),
                "timestamp", time()));
        schema("UsageBatchRequest", object(true, "events", map("type", "array", "minItems", 1, "maxItems", 1000,
                "items", ref("UsageRecord"))));
        schema("UsageRecorded", object(false, "status", map("type", "string", "enum", List.of("recorded", "duplicate")),
                "task_id", str(), "duplicate", bool()));
        schema("UsageBatchResult", object(false, "results", array(object(false, "index", integer(), "status",
                        map("type", "string", "enum", List.of("recorded", "duplicate", "error")), "task_id?", str(),
                        "duplicate?", bool(), "error?", ref("Problem"))),
                "recorded", integer(), "duplicates", integer(), "failed", integer(), "task_ids", array(str())));
        schema("UsageList", object(false, "data", array(ref("UsageRecord")), "count", integer(), "total", integer(),
                "limit", integer(), "offset", integer()));
        schema("UsageRecords", object(false, "data", array(ref("UsageRecord")), "count", integer()));
        Object[] totals = {"total_tasks", integer(), "total_tokens", integer(), "total_tokens_in", integer(),
                "total_tokens_out", integer(), "total_duration_ms", integer(), "total_api_calls", integer(),
                "unique_agents", integer(), "unique_consumers", integer(), "avg_tokens_per_task", number(),
                "avg_duration_ms_per_task", number()};
        schema("UsageTotals", object(false, totals));
        Object[] groupFields = Arrays.copyOf(new Object[]{"agent_id?", str(), "consumer_id?", str(),
                "period?", str("2026-02-06T14:00:00Z (hour), 2026-02-06 (day) or 2026-W06 (week)")}, 6 + totals.length);
        System.arraycopy(totals, 0, groupFields, 6, totals.length);
        schema("UsageGroup", object(false, groupFields));
        schema("UsageAggregate", object(false, "group_by", str(), "data", array(ref("UsageGroup"))));
        schema("UsageGroups", object(false, "data", array(ref("UsageGroup")), "count", integer()));
        schema("UsageStats", object(false, "total_events", integer(), "oldest_timestamp", ntime(),
                "retention_ttl_seconds", integer()));
        schema("PurgeResult", object(false, "status", str(), "removed", integer(), "usage_records", integer(),
                "decisions", integer(), "submission_attempts", integer()));
        schema("UsageValidation", object(false, "valid", bool(), "record?", ref("UsageRecord"), "field?", str(),
                "error?", str()));
        schema("SidecarRequest", map("type", "object", "additionalProperties", true, "properties", map(
                "task_id", str(), "agent_id", str(), "subscription_ref", str(), "correlation_id", str(),
                "evidence", map("nullable", true, "allOf", List.of(ref("Evidence"))))));
        schema("SidecarEvaluation", object(false, "intent_handled", bool(), "adhered", bool(), "billable_units", integer(),
                "reason_codes", array(str()), "correlation_id", str()));
        schema("SidecarIntent", object(false, "correlation_id", str(), "intent_handled", bool(), "reason", str()));
        schema("SidecarAdherence", object(false, "correlation_id", str(), "adhered", bool(), "reason_codes", array(str())));
        schema("SidecarRecorded", object(false, "correlation_id", str(), "recorded", bool()));
        schema("SidecarMetered", object(false, "intent_handled", bool(), "adhered", bool(), "billable_units", integer(),
                "reason_codes", array(str()), "correlation_id", str(), "recorded", bool()));
        schema("SidecarAudit", object(false, "correlation_id", str(), "task_id", str(), "agent_id", str(),
                "subscription_ref", str(), "evidence", ref("Evidence"), "intent_handled", bool(), "adhered", bool(),
                "billable_units", integer(), "reason_codes", array(str()), "timestamp", time(), "metadata", freeObject()));
    }

    private static Object[] pageParams(String... extra) {
        List<Object> params = new ArrayList<>();
        for (String name : extra) {
            params.add(switch (name) {
                case "subscription_ref" -> query(name, str(), "one subscription (must be in the key's scope); default: all of the key's");
                case "from" -> query(name, map("type", "string", "format", "date-time"), "billing hour from, inclusive");
                case "to" -> query(name, map("type", "string", "format", "date-time"), "billing hour to, exclusive");
                default -> throw new IllegalArgumentException(name);
            });
        }
        params.add(query("limit", map("type", "integer", "minimum", 1, "maximum", 1000, "default", 100), "page size"));
        params.add(query("cursor", str(), "next_cursor of the previous page"));
        return params.toArray();
    }

    private void outcomes() {
        add("post", "/v1/outcomes", nativeErrors(new Op("outcomes", "Record an outcome",
                "Evaluates the evidence with the five gates, charges the task once if billable, stores usage if given.",
                Access.REPORT).request("OutcomeRequest", true)
                .respond(201, response("new outcome recorded", "OutcomeResult"))
                .respond(200, response("same correlation_id again (stored result, replayed true) or a task already charged "
                        + "(duplicate true, charge_correlation_id names the original)", "OutcomeResult"))
                .respond(409, problem("correlation_id already used for another task or subscription")), true));
        add("post", "/v1/outcomes/batch", nativeErrors(new Op("outcomes", "Record up to 1000 outcomes",
                "Results in request order; one bad item never blocks the others.", Access.REPORT)
                .request("OutcomeBatchRequest", true)
                .respond(200, response("one result or {index, status, error} per item", "OutcomeBatchResult")), true));
        add("post", "/v1/evaluations", nativeErrors(new Op("outcomes", "Evaluate an outcome without charging",
                "The decision is stored and auditable; nothing is charged.", Access.REPORT)
                .request("EvaluationRequest", true)
                .respond(201, response("evaluated", "EvaluationResult"))
                .respond(200, response("same correlation_id again: the stored decision", "EvaluationResult"))
                .respond(409, problem("correlation_id already used for another task or subscription")), true));
        add("get", "/v1/audit/{correlation_id}", nativeErrors(new Op("outcomes", "Evidence bundle of a decision",
                "Decision with every gate, contract version, evidence (redacted per config) and its SHA-256, the "
                        + "charge with its full ledger history, the usage event it was billed in with the Marketplace's answers.",
                Access.READ).params(pathParam("correlation_id"))
                .respond(200, response("the bundle", "EvidenceBundle"))
                .respond(404, problem("unknown, or outside the key's subscriptions")), false));
    }

    private void charges() {
        add("get", "/v1/charges", nativeErrors(new Op("charges", "List charges",
                "Ordered by billing hour, then correlation id; cursor paged.", Access.READ)
                .params(pageParams("subscription_ref", "from", "to"))
                .params(query("state", map("type", "string", "enum", List.of("PENDING_REVIEW", "QUALIFIED", "BILLABLE",
                        "DISPUTED", "REVERSED", "WAIVED")), "only charges in this state"))
                .respond(200, response("one page", "ChargePage")), false));
        add("get", "/v1/reviews", nativeErrors(new Op("reviews", "Charges held for review (PENDING_REVIEW)",
                "Over a guardrail cap, or ambiguous.", Access.READ)
                .params(pageParams("subscription_ref", "from", "to"))
                .respond(200, response("one page", "ChargePage")), false));
        for (String verdict : List.of("approve", "reject")) {
            add("post", "/v1/reviews/{correlation_id}/" + verdict, nativeErrors(new Op("reviews",
                    verdict.equals("approve") ? "Approve a held charge (QUALIFIED)" : "Reject a held charge (WAIVED)",
                    "Ledgered with the key's name as actor and the note as reason.", Access.ADMIN)
                    .params(pathParam("correlation_id")).request("NoteRequest", false)
                    .respond(200, response("the charge after the change", "Charge"))
                    .respond(404, problem("no such charge in the key's subscriptions"))
                    .respond(409, problem("illegal transition: detail and errors name the current state")), true));
        }
        add("post", "/v1/charges/{correlation_id}/dispute", nativeErrors(new Op("disputes", "Dispute a charge",
                "QUALIFIED or BILLABLE becomes DISPUTED; a charge of an open hour stops counting there.", Access.DISPUTE)
                .params(pathParam("correlation_id")).request("DisputeRequest", true)
                .respond(200, response("the disputed charge", "Charge"))
                .respond(404, problem("no such charge in the key's subscriptions"))
                .respond(409, problem("illegal transition: detail and errors name the current state")), true));
        add("post", "/v1/charges/{correlation_id}/resolve", nativeErrors(new Op("disputes", "Resolve a dispute",
                "uphold: the charge stands; reverse: a ledgered reversal, a credit owed if its hour was already invoiced.",
                Access.ADMIN).params(pathParam("correlation_id")).request("ResolveRequest", true)
                .respond(200, response("the charge after the change", "Charge"))
                .respond(404, problem("no such charge in the key's subscriptions"))
                .respond(409, problem("illegal transition: detail and errors name the current state")), true));
        add("get", "/v1/credits", nativeErrors(new Op("disputes", "Credits owed",
                "Reversals of already-invoiced charges (CREDIT ledger entries), newest first.", Access.READ)
                .params(pageParams("subscription_ref"))
                .respond(200, response("one page", "CreditPage")), false));
        add("get", "/v1/anomalies", nativeErrors(new Op("anomalies", "List anomalies",
                "Cap breaches and submission failures, newest first.", Access.READ)
                .params(pageParams("subscription_ref", "from", "to"))
                .params(query("type", map("type", "string", "enum", List.of("cap_exceeded", "submission_discrepancy",
                        "submission_expired", "submission_rejected", "submission_deadline", "submission_unauthorized",
                        "reconciliation_mismatch")), "only this type"))
                .respond(200, response("one page", "AnomalyPage")), false));
    }

    private void usageEvents() {
        add("get", "/v1/usage-events", nativeErrors(new Op("usage-events", "List usage events",
                "One per subscription, dimension and UTC hour, with what the Marketplace answered; oldest hour first.",
                Access.READ).params(pageParams("subscription_ref", "from", "to"))
                .params(query("status", map("type", "string", "enum", List.of("PENDING", "ACCEPTED", "DRY_RUN",
                        "DISCREPANCY", "EXPIRED", "REJECTED")), "only this status"))
                .respond(200, response("one page", "UsageEventPage")), false));
        add("post", "/v1/usage-events/submit", nativeErrors(new Op("usage-events", "Close due hours and submit now",
                "Closes every hour past end + grace, then submits every due usage event; safe to repeat.",
                Access.ADMIN_GLOBAL).request("EmptyRequest", false)
                .respond(200, response("what was closed and what each submission ended as", "SubmitResult")), true));
    }

    private static Object[] usageFilters(String... extra) {
        List<Object> params = new ArrayList<>(List.of(
                query("agent_id", str(), "only this agent"),
                query("consumer_id", str(), "only this consumer (must be in the key's scope)"),
                query("task_id", str(), "only this task"),
                query("start", map("type", "string", "format", "date-time"), "timestamp from, inclusive"),
                query("end", map("type", "string", "format", "date-time"), "timestamp to, exclusive")));
        for (String name : extra) {
            params.add(switch (name) {
                case "limit" -> query("limit", map("type", "integer", "minimum", 1, "maximum", 1000, "default", 100), "page size");
                case "offset" -> query("offset", map("type", "integer", "minimum", 0, "default", 0), "records to skip");
                case "group_by" -> requiredQuery("group_by", map("type", "string", "enum",
                        List.of("agent", "consumer", "hour", "day", "week")), "grouping");
                case "format" -> query("format", map("type", "string", "enum", List.of("csv", "json"), "default", "csv"),
                        "export format");
                default -> throw new IllegalArgumentException(name);
            });
        }
        return params.toArray();
    }

    private void usage() {
        add("post", "/v1/usage", nativeErrors(new Op("usage", "Record one usage record",
                "Visibility only, never billed. Idempotent per (consumer_id, task_id, timestamp).", Access.REPORT)
                .request("UsageRecord", true)
                .respond(201, response("stored", "UsageRecorded"))
                .respond(200, response("already stored (duplicate true)", "UsageRecorded")), true));
        add("post", "/v1/usage/batch", nativeErrors(new Op("usage", "Record up to 1000 usage records",
                "Per-item results in request order; bad items are reported, the others stored.", Access.REPORT)
                .request("UsageBatchRequest", true)
                .respond(200, response("per-item results", "UsageBatchResult")), true));
        add("post", "/v1/usage/validate", nativeErrors(new Op("usage", "Validate a usage record",
                "Checks it exactly as POST /v1/usage would; stores nothing.", Access.REPORT)
                .request("UsageRecord", true)
                .respond(200, response("{valid: true, record} or {valid: false, field, error}", "UsageValidation")), true));
        add("post", "/v1/usage/purge", nativeErrors(new Op("usage", "Purge what outlived the retention TTL",
                "Usage records, settled submission attempts, never-charged decisions; never charges or ledger entries.",
                Access.ADMIN_GLOBAL).request("EmptyRequest", false)
                .respond(200, response("what was removed", "PurgeResult")), true));
        add("get", "/v1/usage", nativeErrors(new Op("usage", "Query usage records", "Ordered by timestamp; offset paged.",
                Access.READ).params(usageFilters("limit", "offset"))
                .respond(200, response("one page; total counts every match", "UsageList")), false));
        add("get", "/v1/usage/aggregate", nativeErrors(new Op("usage", "Aggregate usage",
                "Totals and averages per agent, consumer, UTC hour, UTC day or ISO week.", Access.READ)
                .params(usageFilters("group_by"))
                .respond(200, response("one entry per group", "UsageAggregate")), false));
        add("get", "/v1/usage/summary", nativeErrors(new Op("usage", "Usage totals", "Totals over every match.",
                Access.READ).params(usageFilters())
                .respond(200, response("totals", "UsageTotals")), false));
        add("get", "/v1/usage/agents", nativeErrors(new Op("usage", "Distinct agents with their totals", "",
                Access.READ).params(usageFilters())
                .respond(200, response("one entry per agent", "UsageGroups")), false));
        add("get", "/v1/usage/consumers", nativeErrors(new Op("usage", "Distinct consumers with their totals", "",
                Access.READ).params(usageFilters())
                .respond(200, response("one entry per consumer", "UsageGroups")), false));
        add("get", "/v1/usage/export", nativeErrors(new Op("usage", "Export usage records",
                "Streamed with constant memory as an attachment: CSV with columns task_id,agent_id,consumer_id,"
                        + "tokens_in,tokens_out,duration_ms,api_calls,timestamp, or JSON {\"data\": [...]}.", Access.READ)
                .params(usageFilters("format"))
                .respond(200, map("description", "the records", "content", map(
                        "text/csv", map("schema", str()),
                        JSON, map("schema", ref("UsageRecords"))))), false));
        add("get", "/v1/usage/stats", nativeErrors(new Op("usage", "Usage store statistics",
                "A scoped key sees its own consumers' records only.", Access.READ)
                .respond(200, response("size, oldest record, retention", "UsageStats")), false));
        add("get", "/v1/usage/{task_id}", nativeErrors(new Op("usage", "Usage records of one task", "", Access.READ)
                .params(pathParam("task_id"))
                .respond(200, response("the task's records", "UsageRecords"))
                .respond(404, problem("no records of this task in the key's scope")), false));
    }

    private void sidecar() {
        String compat = " Python sidecar compatible: unknown fields ignored, errors as {\"error\": \"...\"}.";
        add("post", "/evaluate", sidecarErrors(new Op("sidecar", "Evaluate (sidecar)",
                "Full evaluation, stored under the caller's correlation_id when sent; bills nothing." + compat,
                Access.REPORT).request("SidecarRequest", true)
                .respond(200, response("the decision", "SidecarEvaluation"))
                .respond(409, sidecarError("correlation_id already used for another task or subscription"))));
        add("post", "/evaluate_intent_handling", sidecarErrors(new Op("sidecar", "Gate 0 only (sidecar)",
                "The decision is stored and auditable." + compat, Access.REPORT).request("SidecarRequest", true)
                .respond(200, response("gate 0", "SidecarIntent"))
                .respond(409, sidecarError("correlation_id already used for another task or subscription"))));
        add("post", "/evaluate_task_adherence", sidecarErrors(new Op("sidecar", "Gates 1-4 only (sidecar)",
                "The decision is stored and auditable." + compat, Access.REPORT).request("SidecarRequest", true)
                .respond(200, response("gates 1 to 4", "SidecarAdherence"))
                .respond(409, sidecarError("correlation_id already used for another task or subscription"))));
        add("post", "/record_task_completed", sidecarErrors(new Op("sidecar", "Record a completion (sidecar)",
                "No evidence: recorded as an outcome whose evidence is {outputs: {terminal_success: true, source: "
                        + "\"record_task_completed\"}} with agent id sidecar (or the agent_id sent), at the server's time; "
                        + "recorded is false for a duplicate or a cap hold." + compat, Access.REPORT)
                .request("SidecarRequest", true)
                .respond(200, response("recorded or not", "SidecarRecorded"))
                .respond(409, sidecarError("correlation_id already used for another task or subscription"))));
        add("post", "/evaluate_and_meter_task", sidecarErrors(new Op("sidecar", "Evaluate and record if billable (sidecar)",
                "The recommended call. The caller's correlation_id is the audit record's id." + compat, Access.REPORT)
                .request("SidecarRequest", true)
                .respond(200, response("the decision and whether it was charged", "SidecarMetered"))
                .respond(409, sidecarError("correlation_id already used for another task or subscription"))));
        add("get", "/audit/{correlation_id}", sidecarErrors(new Op("sidecar", "Audit record (sidecar)",
                "The sidecar's audit shape; GET /v1/audit/{correlation_id} has the full evidence bundle." + compat,
                Access.READ).params(pathParam("correlation_id"))
                .respond(200, response("the audit record", "SidecarAudit"))
                .respond(404, sidecarError("{\"error\": \"Audit record not found\"}"))));
    }

    private void operations() {
        add("get", "/health", new Op("operations", "Liveness", "{\"status\": \"ok\"} while the process runs.",
                Access.PUBLIC).respond(200, response("alive", "Status")));
        add("get", "/ready", new Op("operations", "Readiness",
                "Database reachable and migrations applied.", Access.PUBLIC)
                .respond(200, response("{\"status\": \"ready\"}", "Status"))
                .respond(503, response("{\"status\": \"not_ready\"}", "Status")));
        add("get", "/metrics", new Op("operations", "Prometheus metrics",
                "Outcomes by result, duplicates suppressed, reviews, disputes, anomalies, submissions by status, "
                        + "request latency.", Access.PUBLIC)
                .respond(200, map("description", "Prometheus text format", "content",
                        map("text/plain", map("schema", str())))));
        add("get", "/openapi.json", new Op("operations", "This document", "", Access.PUBLIC)
                .respond(200, map("description", "OpenAPI 3", "content", map(JSON, map("schema", freeObject())))));
    }
}
