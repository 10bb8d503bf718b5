package io.taskmetering.adapter.rest;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Settings of the HTTP API.
 *
 * @param host             interface to bind ({@code null} or blank = all interfaces)
 * @param apiKeys          the accepted keys; with none, only loopback clients are served
 * @param maxBodyBytes     largest request body accepted (413 beyond); default 1 MiB
 * @param maxStringLength  longest string accepted anywhere in a request body, also inside evidence; default 64 KiB
 * @param maxBatchSize     most items in one batch request; default 1000 (the application's own limit)
 * @param maxPageSize      largest {@code limit} of a listing; default 1000
 * @param defaultPageSize  {@code limit} when a listing names none; default 100
 * @param maxTraceBodyBytes largest OTLP trace export accepted on {@code POST /v1/traces}, after gzip decoding (413
 *                         beyond); default 16 MiB: exporters batch up to 512 spans, whose attributes may carry whole
 *                         prompts and answers
 */
public record RestConfig(String host, List<ApiKeyConfig> apiKeys, long maxBodyBytes, int maxStringLength,
                         int maxBatchSize, int maxPageSize, int defaultPageSize, long maxTraceBodyBytes) {
    public static final long DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
    public static final long DEFAULT_MAX_TRACE_BODY_BYTES = 16L * 1024 * 1024;
    /** Bodies are read whole into memory before parsing; beyond this a batch belongs in several requests. */
    public static final long MAX_BODY_BYTES_CEILING = 64L * 1024 * 1024;
    public static final int DEFAULT_MAX_STRING_LENGTH = 64 * 1024;
    public static final int DEFAULT_MAX_BATCH_SIZE = 1000;
    public static final int DEFAULT_MAX_PAGE_SIZE = 1000;
    public static final int DEFAULT_PAGE_SIZE = 100;

    public RestConfig {
        apiKeys = List.copyOf(apiKeys == null ? List.of() : apiKeys);
        Set<String> names = new HashSet<>();
        Set<String> keys = new HashSet<>();
        for (ApiKeyConfig key : apiKeys) {
            if (!names.add(key.name())) {
                throw new IllegalArgumentException("API key name '" + key.name() + "' is configured twice");
            }
            if (!keys.add(key.key())) {
                throw new IllegalArgumentException("API key '" + key.name() + "' repeats another key's secret");
            }
        }
        if (maxBodyBytes < 1024 || maxBodyBytes > MAX_BODY_BYTES_CEILING) {
            throw new IllegalArgumentException("maxBodyBytes must be between 1024 and " + MAX_BODY_BYTES_CEILING);
        }
        if (maxTraceBodyBytes < 1024 || maxTraceBodyBytes > MAX_BODY_BYTES_CEILING) {
            throw new IllegalArgumentException("maxTraceBodyBytes must be between 1024 and " + MAX_BODY_BYTES_CEILING);
        }
        if (maxStringLength < 256) {
            throw new IllegalArgumentException("maxStringLength must be at least 256 (the longest identifier)");
        }
        if (maxBatchSize < 1 || maxBatchSize > DEFAULT_MAX_BATCH_SIZE) {
            throw new IllegalArgumentException("maxBatchSize must be between 1 and " + DEFAULT_MAX_BATCH_SIZE);
        }
        if (maxPageSize < 1 || maxPageSize > DEFAULT_MAX_PAGE_SIZE) {
            throw new IllegalArgumentException("maxPageSize must be between 1 and " + DEFAULT_MAX_PAGE_SIZE);
        }
        if (defaultPageSize < 1 || defaultPageSize > maxPageSize) {
            throw new IllegalArgumentException("defaultPageSize must be between 1 and maxPageSize");
        }
    }

    /** Defaults with the given keys, bound to all interfaces. */
    public static RestConfig withKeys(List<ApiKeyConfig> apiKeys) {
        return new RestConfig(null, apiKeys, DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_STRING_LENGTH, DEFAULT_MAX_BATCH_SIZE,
                DEFAULT_MAX_PAGE_SIZE, DEFAULT_PAGE_SIZE,
                DEFAULT_MAX_TRACE_BODY_BYTES);
    }

    public RestConfig withHost(String newHost) {
        return new RestConfig(newHost, apiKeys, maxBodyBytes, maxStringLength, maxBatchSize, maxPageSize, defaultPageSize,
                maxTraceBodyBytes);
    }

    public RestConfig withMaxBodyBytes(long bytes) {
        return new RestConfig(host, apiKeys, bytes, maxStringLength, maxBatchSize, maxPageSize, defaultPageSize,
                maxTraceBodyBytes);
    }

    public RestConfig withMaxStringLength(int length) {
        return new RestConfig(host, apiKeys, maxBodyBytes, length, maxBatchSize, maxPageSize, defaultPageSize,
                maxTraceBodyBytes);
    }

    public RestConfig withMaxBatchSize(int size) {
        return new RestConfig(host, apiKeys, maxBodyBytes, maxStringLength, size, maxPageSize, defaultPageSize,
                maxTraceBodyBytes);
    }

    public RestConfig withMaxTraceBodyBytes(long bytes) {
        return new RestConfig(host, apiKeys, maxBodyBytes, maxStringLength, maxBatchSize, maxPageSize, defaultPageSize,
                bytes);
    }

    /** Never prints the keys. */
    @Override
    public String toString() {
        return "RestConfig[host=" + host + ", apiKeys=" + apiKeys + ", maxBodyBytes=" + maxBodyBytes
                + ", maxStringLength=" + maxStringLength + ", maxBatchSize=" + maxBatchSize + ", maxPageSize="
                + maxPageSize + ", defaultPageSize=" + defaultPageSize + ", maxTraceBodyBytes=" + maxTraceBodyBytes + "]";
    }
}
