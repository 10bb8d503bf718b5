// The views. Each renders into {@code main} from the public API; every refusal is shown as the problem's title and
// detail. Actions the key's role may not take are refused by the API (403) and shown like any other problem.
import { get, post, withQuery, collect } from './api.js';
import { h, show, table, fieldTable, facts, problem, done, instant, localInput } from './dom.js';
import { barChart } from './chart.js';

const HOUR = 3600 * 1000;

function filterForm(fields, onSubmit) {
  const form = h('form', { class: 'filters' }, fields, h('button', { type: 'submit' }, 'Show'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    onSubmit(Object.fromEntries(new FormData(form).entries()));
  });
  return form;
}

function field(label, name, attributes) {
  return h('label', {}, label, h('input', { name, ...attributes }));
}

function choice(label, name, options) {
  return h('label', {}, label, h('select', { name }, h('option', { value: '' }, 'any'),
    options.map((option) => h('option', { value: option }, option))));
}

/** Runs {@code load} into {@code target}, showing a problem instead of a blank when it fails. */
async function into(target, load, unavailableWhat) {
  target.replaceChildren(h('p', { role: 'status' }, 'Loading…'));
  try {
    target.replaceChildren(h('div', {}, await load()));
  } catch (error) {
    target.replaceChildren(problem(error, unavailableWhat));
  }
}

function chargeLink(correlationId) {
  return h('a', { href: `#charges/${encodeURIComponent(correlationId)}` }, correlationId);
}

/** The first columns of every list of charges (and of ledger entries, which name theirs). */
const CHARGE_COLUMNS = [
  ['Charge', (c) => chargeLink(c.correlation_id)],
  ['Task', (c) => c.task_id],
  ['Subscription', (c) => c.subscription_ref],
];

// ---- Overview ------------------------------------------------------------------------------------------------

export function overview(main) {
  const now = Date.now();
  const results = h('div', { id: 'overview-results' });
  const form = filterForm([
    field('Subscription', 'subscription_ref', { id: 'filter-subscription' }),
    field('Agent', 'agent_id', { id: 'filter-agent' }),
    field('From', 'from', { type: 'datetime-local', value: localInput(new Date(Math.floor((now - 24 * HOUR) / HOUR) * HOUR)) }),
    field('To', 'to', { type: 'datetime-local', value: localInput(new Date(Math.ceil(now / HOUR) * HOUR)) }),
  ], (values) => load(values));
  main.replaceChildren(h('h2', {}, 'Overview'),
    h('p', {}, 'Attempted outcomes, billable charges and the quantity the Marketplace accepted, per UTC hour.'),
    form, results);
  const load = (values) => into(results, async () => {
    const params = { subscription_ref: values.subscription_ref, from: instant(values.from), to: instant(values.to) };
    const summary = await get(withQuery('/v1/insights/summary', params));
    const hours = await get(withQuery('/v1/insights/hours', { ...params, agent_id: values.agent_id }));
    return [rates(summary), hourChart(hours.data || [])];
  }, 'Insights (the overview\'s numbers)');
  load(Object.fromEntries(new FormData(form).entries()));
}

/** A rate as a percentage; one given as {value, numerator, denominator} also shows the counts it comes from. */
function rateText(value) {
  if (typeof value === 'number') {
    return `${(value * 100).toFixed(1)} %`;
  }
  if (value && typeof value === 'object' && 'value' in value) {
    const counts = 'numerator' in value ? ` (${value.numerator} of ${value.denominator})` : '';
    return `${value.value === null ? 'no data' : `${(value.value * 100).toFixed(1)} %`}${counts}`;
  }
  return show(value);
}

function rates(summary) {
  const rows = summary.data || [summary];
  return rows.map((row) => h('section', { 'aria-label': 'Rates' },
    h('div', { class: 'rates' }, Object.entries(row)
      .filter(([name, value]) => name.endsWith('_rate') || typeof value !== 'object' || value === null)
      .map(([name, value]) => h('div', { class: 'rate', 'data-field': name },
        h('span', { class: 'value' }, name.endsWith('_rate') ? rateText(value) : show(value)),
        name.replaceAll('_', ' '))))));
}

function hourChart(rows) {
  const byHour = new Map();
  for (const row of rows) {
    const hour = byHour.get(row.hour) || { hour: row.hour, attempted: 0, billable: 0, accepted: null };
    hour.attempted += row.attempted || 0;
    hour.billable += row.billable || 0;
    if (row.quantity_accepted !== null && row.quantity_accepted !== undefined) {
      hour.accepted = (hour.accepted || 0) + row.quantity_accepted;
    }
    byHour.set(row.hour, hour);
  }
  const hours = [...byHour.values()].sort((a, b) => a.hour.localeCompare(b.hour));
  if (hours.length === 0) {
    return h('p', { class: 'notice' }, 'No outcomes in this range.');
  }
  const labels = hours.map((one) => one.hour.slice(5, 13).replace('T', ' ') + 'h');
  return [
    barChart('Attempted, billable and accepted per hour', labels, [
      { label: 'Attempted', values: hours.map((one) => one.attempted) },
      { label: 'Billable', values: hours.map((one) => one.billable) },
      { label: 'Accepted by the Marketplace', values: hours.map((one) => one.accepted) },
    ]),
    table('Per hour', [
      ['Hour (UTC)', (r) => r.hour],
      ['Attempted', (r) => r.attempted, true],
      ['Billable', (r) => r.billable, true],
      ['Accepted', (r) => (r.accepted === null ? 'not known yet' : r.accepted), true],
    ], hours),
  ];
}

// ---- Reviews -------------------------------------------------------------------------------------------------

export function reviews(main) {
  const results = h('div');
  const status = h('div', { 'aria-live': 'polite' });
  const form = filterForm([field('Subscription', 'subscription_ref', {})], (values) => load(values));
  main.replaceChildren(h('h2', {}, 'Reviews'),
    h('p', {}, 'Charges held for a person: approve to count them, reject to waive them.'), form, status, results);
  const load = (values) => into(results, async () => {
    const page = await get(withQuery('/v1/reviews', { subscription_ref: values.subscription_ref, limit: 200 }));
    return table('Held charges', [
      ...CHARGE_COLUMNS,
      ['Agent', (c) => c.agent_id],
      ['Hour (UTC)', (c) => c.billing_hour],
      ['Why held', (c) => c.hold_reasons],
      ['Decide', (c) => reviewForm(c, status, () => load(values))],
    ], page.data);
  });
  load({});
}

function reviewForm(charge, status, reload) {
  const note = h('input', { name: 'note', 'aria-label': `Note for ${charge.correlation_id}`, placeholder: 'note' });
  const act = (verdict) => async (event) => {
    event.preventDefault();
    try {
      const body = note.value.trim() ? { note: note.value.trim() } : {};
      const result = await post(`/v1/reviews/${encodeURIComponent(charge.correlation_id)}/${verdict}`, body);
      status.replaceChildren(done(`${charge.correlation_id} ${verdict === 'approve' ? 'approved' : 'rejected'}: now ${result.state}`));
      reload();
    } catch (error) {
      status.replaceChildren(problem(error));
    }
  };
  return h('form', { class: 'action', 'data-correlation-id': charge.correlation_id }, note,
    h('button', { type: 'button', onclick: act('approve') }, 'Approve'),
    h('button', { type: 'button', class: 'secondary', onclick: act('reject') }, 'Reject'));
}

// ---- Charges and the evidence bundle ---------------------------------------------------------------------------

const STATES = ['PENDING_REVIEW', 'QUALIFIED', 'BILLABLE', 'DISPUTED', 'REVERSED', 'WAIVED'];

export function charges(main, id) {
  if (id) {
    bundle(main, id);
    return;
  }
  const results = h('div');
  const form = filterForm([
    field('Task id or correlation id', 'q', { id: 'charge-search', size: 30 }),
    field('Subscription', 'subscription_ref', {}),
    choice('State', 'state', STATES),
  ], (values) => load(values));
  const credits = h('div');
  main.replaceChildren(h('h2', {}, 'Charges'), form, results, h('h3', {}, 'Credits'), credits);
  const load = (values) => into(results, () => search(values));
  load({});
  into(credits, async () => table('Credits owed (reversals of invoiced charges)', [
    ...CHARGE_COLUMNS,
    ['Hour (UTC)', (c) => c.hour],
    ['By', (c) => c.actor],
    ['Reason', (c) => c.reason],
    ['At', (c) => c.at],
  ], (await get('/v1/credits?limit=200')).data));
}

/** A correlation id opens its bundle; otherwise the charges of that task (searched in the newest 20,000). */
async function search(values) {
  const q = (values.q || '').trim();
  const filters = { subscription_ref: values.subscription_ref, state: values.state };
  if (!q) {
    const page = await get(withQuery('/v1/charges', { ...filters, limit: 200 }));
    return chargeTable('Charges', page.data);
  }
  try {
    await get(`/v1/audit/${encodeURIComponent(q)}`);
    location.hash = `#charges/${encodeURIComponent(q)}`;
    return [];
  } catch (error) {
    if (error.status !== 404) {
      throw error;
    }
  }
  const found = await collect('/v1/charges', filters, 20000);
  const matches = found.items.filter((charge) => charge.task_id === q);
  return [
    chargeTable(`Charges of task ${q}`, matches),
    found.truncated ? h('p', { class: 'notice' }, 'Only the first 20,000 charges were searched; narrow by subscription or state.') : null,
  ];
}

function chargeTable(caption, rows) {
  return table(caption, [
    ...CHARGE_COLUMNS,
    ['Agent', (c) => c.agent_id],
    ['State', (c) => c.state],
    ['Hour (UTC)', (c) => c.billing_hour],
    ['Late', (c) => (c.late ? 'late' : 'no')],
  ], rows);
}

function redactedPaths(value, path, found) {
  if (value === '[REDACTED]') {
    found.push(path);
  } else if (value && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      redactedPaths(inner, Array.isArray(value) ? `${path}[${key}]` : `${path}.${key}`, found);
    }
  }
  return found;
}

function bundle(main, id) {
  const body = h('div');
  const status = h('div', { 'aria-live': 'polite' });
  main.replaceChildren(h('h2', {}, `Charge ${id}`), h('p', {}, h('a', { href: '#charges' }, '← all charges')), status, body);
  const reload = () => into(body, async () => {
    const b = await get(`/v1/audit/${encodeURIComponent(id)}`);
    const charge = b.charge;
    const redacted = redactedPaths(b.evidence, 'evidence', []);
    return [
      facts([
        ['Task', b.task_id], ['Agent', b.agent_id], ['Subscription', b.subscription_ref], ['Kind', b.kind],
        ['State', h('strong', { id: 'charge-state' }, charge ? charge.state : 'no charge')],
        ['Billing hour (UTC)', charge ? charge.billing_hour : null],
        ['Billable units', b.decision.billable_units], ['Contract version', b.decision.contract_version],
        ['Evidence SHA-256', b.decision.evidence_sha256],
      ]),
      actions(charge, id, status, reload),
      table('Gates', [['Gate', (g) => g.gate], ['Outcome', (g) => g.outcome], ['Reason code', (g) => g.reason_code]],
        b.decision.gates),
      b.decision.review_reasons.length ? facts([['Held for review because', b.decision.review_reasons]]) : null,
      h('h3', {}, 'Evidence'),
      redacted.length ? h('p', { class: 'notice' }, `Redacted by configuration: ${redacted.join(', ')}`) : null,
      h('pre', {}, JSON.stringify(b.evidence, null, 2)),
      table('Ledger history', [
        ['Entry', (e) => e.entry_id], ['Type', (e) => e.type], ['From', (e) => e.from_state], ['To', (e) => e.to_state],
        ['By', (e) => e.actor], ['Reason', (e) => e.reason], ['At', (e) => e.at],
      ], b.history),
      h('h3', {}, 'The hour\'s usage event'),
      b.usage_event ? facts(Object.entries(b.usage_event)) : h('p', {}, 'Not yet: the hour has not been closed.'),
      table('Marketplace attempts', [
        ['#', (a) => a.number, true], ['At', (a) => a.at], ['HTTP', (a) => a.http_status, true],
        ['Outcome', (a) => a.outcome], ['Detail', (a) => a.detail],
      ], b.submission_attempts),
    ];
  });
  reload();
}

function actions(charge, id, status, reload) {
  if (!charge) {
    return null;
  }
  const send = (path, form, bodyOf, what) => async (event) => {
    event.preventDefault();
    try {
      const result = await post(path, bodyOf(new FormData(form)));
      status.replaceChildren(done(`${what}: ${id} is now ${result.state}`));
      reload();
    } catch (error) {
      status.replaceChildren(problem(error));
    }
  };
  const forms = [];
  if (charge.state === 'QUALIFIED' || charge.state === 'BILLABLE') {
    const form = h('form', { class: 'action', id: 'dispute-form' },
      h('label', {}, 'Reason for the dispute', h('input', { name: 'reason', required: true, size: 40 })),
      h('button', { type: 'submit' }, 'Dispute'));
    form.addEventListener('submit', send(`/v1/charges/${encodeURIComponent(id)}/dispute`, form,
      (data) => ({ reason: data.get('reason') }), 'Disputed'));
    forms.push(form);
  }
  if (charge.state === 'DISPUTED') {
    const form = h('form', { class: 'action', id: 'resolve-form' },
      h('label', {}, 'Decision', h('select', { name: 'decision' },
        h('option', { value: 'uphold' }, 'uphold: the charge stands'),
        h('option', { value: 'reverse' }, 'reverse: take it back'))),
      h('label', {}, 'Note', h('input', { name: 'note', size: 30 })),
      h('button', { type: 'submit' }, 'Resolve'));
    form.addEventListener('submit', send(`/v1/charges/${encodeURIComponent(id)}/resolve`, form, (data) => {
      const note = data.get('note').trim();
      return note ? { decision: data.get('decision'), note } : { decision: data.get('decision') };
    }, 'Resolved'));
    forms.push(form);
  }
  return forms.length ? h('fieldset', {}, h('legend', {}, 'Act on this charge'), forms) : null;
}

// ---- Usage events --------------------------------------------------------------------------------------------

const USAGE_STATUSES = ['PENDING', 'ACCEPTED', 'DRY_RUN', 'DISCREPANCY', 'EXPIRED', 'REJECTED'];
const MARKETPLACE_WINDOW = 24 * HOUR;
const NEAR = 6 * HOUR;

export function usageEvents(main) {
  const results = h('div');
  const form = filterForm([field('Subscription', 'subscription_ref', {}), choice('Status', 'status', USAGE_STATUSES)],
    (values) => load(values));
  main.replaceChildren(h('h2', {}, 'Usage events'),
    h('p', {}, 'One event per subscription, dimension and UTC hour. The Marketplace takes an hour up to 24 hours after it starts.'),
    form, results);
  const load = (values) => into(results, async () => {
    const page = await get(withQuery('/v1/usage-events', { ...values, limit: 500 }));
    return table('Usage events', [
      ['Hour (UTC)', (e) => e.hour], ['Subscription', (e) => e.subscription_ref], ['Dimension', (e) => e.dimension],
      ['Quantity', (e) => e.quantity, true], ['Status', (e) => e.status], ['Attempts', (e) => e.attempts, true],
      ['Last error', (e) => e.last_error], ['Deadline', deadline],
    ], page.data);
  });
  load({});
}

function deadline(event) {
  const due = new Date(Date.parse(event.hour) + MARKETPLACE_WINDOW);
  if (event.status !== 'PENDING') {
    return '—';
  }
  const left = due.getTime() - Date.now();
  const text = `${due.toISOString()} (${left > 0 ? `in ${Math.floor(left / HOUR)} h ${Math.floor((left % HOUR) / 60000)} min` : 'passed'})`;
  return left < NEAR ? h('span', { class: 'near' }, `near: ${text}`) : text;
}

// ---- Anomalies -----------------------------------------------------------------------------------------------

const ANOMALY_TYPES = ['cap_exceeded', 'submission_discrepancy', 'submission_expired', 'submission_rejected',
  'submission_deadline', 'submission_unauthorized', 'reconciliation_mismatch'];

export function anomalies(main) {
  const results = h('div');
  const form = filterForm([field('Subscription', 'subscription_ref', {}), choice('Type', 'type', ANOMALY_TYPES)],
    (values) => load(values));
  main.replaceChildren(h('h2', {}, 'Anomalies'), form, results);
  const load = (values) => into(results, async () => {
    const page = await get(withQuery('/v1/anomalies', { ...values, limit: 500 }));
    return table('Anomalies, newest first', [
      ['When', (a) => a.timestamp], ['Type', (a) => a.type], ['Subscription', (a) => a.subscription_ref],
      ['Hour (UTC)', (a) => a.hour], ['Detail', (a) => a.detail],
      ['Charge', (a) => (a.correlation_id ? chargeLink(a.correlation_id) : null)],
    ], page.data);
  });
  load({});
}

// ---- Reconciliation ------------------------------------------------------------------------------------------

export function reconciliation(main) {
  const results = h('div');
  const status = h('div', { 'aria-live': 'polite' });
  const yesterday = new Date(Date.now() - 24 * HOUR).toISOString().slice(0, 10);
  const dayInput = h('input', { name: 'day', type: 'date', value: yesterday, required: true });
  const form = filterForm([h('label', {}, 'Day (UTC)', dayInput)], (values) => load(values.day));
  const run = h('button', { type: 'button', class: 'secondary' }, 'Reconcile this day now');
  run.addEventListener('click', async () => {
    try {
      await post('/v1/reconciliations', { day: dayInput.value });
      status.replaceChildren(done(`reconciled ${dayInput.value}`));
      load(dayInput.value);
    } catch (error) {
      status.replaceChildren(problem(error, 'Reconciliation'));
    }
  });
  main.replaceChildren(h('h2', {}, 'Reconciliation'),
    h('p', {}, 'What this service recorded as accepted, compared with the Marketplace\'s usage events of a day.'),
    form, run, status, results);
  const load = (day) => into(results, async () => {
    const r = await get(withQuery('/v1/reconciliations', { day }));
    const list = r.data || [r];
    return list.map((one) => [
      facts([['Day', one.day], ['Hours compared', one.hours_compared], ['Matching', one.matching]]),
      table('Mismatched', [['Subscription', (m) => m.subscription_ref], ['Hour (UTC)', (m) => m.hour],
        ['Ours', (m) => m.ours, true], ['Theirs', (m) => m.theirs, true]], one.mismatched),
      fieldTable('Missing at the Marketplace', (one.missing_at_marketplace || []).map(asRow)),
      fieldTable('Missing here', (one.missing_here || []).map(asRow)),
    ]);
  }, 'Reconciliation');
  load(yesterday);
}

function asRow(value) {
  return value && typeof value === 'object' ? value : { value };
}

// ---- Rules ---------------------------------------------------------------------------------------------------

export function rules(main) {
  const results = h('div');
  const report = h('div', { 'aria-live': 'polite' });
  main.replaceChildren(h('h2', {}, 'Rules'), h('p', {}, 'Contract versions say what a billable outcome is.'), results, report);
  into(results, async () => {
    const versions = (await get('/v1/contracts')).data;
    return table('Contract versions', [
      ['Version', (v) => v.version],
      ['Required outputs', (v) => v.required_output_keys],
      ['Approval', (v) => (v.require_approval ? 'required' : 'not required')],
      ['Intent resolution', (v) => (v.require_intent_resolution ? `required (≥ ${v.intent_resolution_threshold})` : 'not required')],
      ['Applies', (v) => v.applies.map((a) => `${a.scope}${a.subscription_ref ? ` ${a.subscription_ref}` : ''} from ${show(a.effective_from)} until ${show(a.effective_until)}`).join('; ')],
      ['Shadow report', (v) => h('button', { type: 'button', class: 'secondary', onclick: () => shadowReport(report, v.version) }, `Shadow report of ${v.version}`)],
    ], versions);
  });
}

function shadowReport(target, version) {
  into(target, async () => {
    const page = await get(withQuery(`/v1/contracts/${encodeURIComponent(version)}/shadow-report`, { limit: 500 }));
    return [h('h3', {}, `Shadow report of ${version}`), table('Per subscription and hour', [
      ['Subscription', (r) => r.subscription_ref], ['Hour (UTC)', (r) => r.hour], ['Evaluated', (r) => r.evaluated, true],
      ['Billable live', (r) => r.billable_live, true], ['Billable in shadow', (r) => r.billable_shadow, true],
      ['Flips', (r) => r.flip_count, true],
    ], page.data)];
  });
}
