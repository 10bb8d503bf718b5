package io.taskmetering.application.port.out;

import io.taskmetering.domain.billing.BucketKey;

import java.time.Instant;

/** Invoices an hour the Marketplace accepted, in the transaction that records the acceptance. */
public interface InvoiceHourPort {
    /**
     * Invoices {@code key} in one set-based step, exactly as {@link io.taskmetering.domain.charge.Invoicing} does one
     * charge at a time: every counted QUALIFIED charge of the hour becomes BILLABLE with version + 1, and one
     * STATE_CHANGE ledger entry per charge is appended (id {@code correlationId#version}, the invoicing actor and
     * reason, linked to the charge's first entry). Returns how many charges were invoiced.
     */
    long invoiceHour(BucketKey key, Instant at, String ruleVersion);
}
