// Builds DOM nodes; text always goes in as text, never as HTML, so nothing the API returns can run as markup.
export function h(tag, attributes, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value === undefined || value === null || value === false) {
      continue;
    }
    if (name.startsWith('on')) {
      node.addEventListener(name.slice(2), value);
    } else {
      node.setAttribute(name, value === true ? '' : value);
    }
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) {
      continue;
    }
    if (Array.isArray(child)) {
      append(node, child);
    } else {
      node.append(child instanceof Node ? child : String(child));
    }
  }
}

/** A value as the tables show it: null as "—", objects as compact JSON. */
export function show(value) {
  if (value === null || value === undefined) {
    return '—';
  }
  if (Array.isArray(value)) {
    return value.length === 0 ? '—' : value.map(show).join(', ');
  }
  if (typeof value === 'object') {
    return JSON.stringify(value);
  }
  return String(value);
}

/**
 * A table with a caption; {@code columns} are [label, row => value or node, numeric?]. An empty list says so in words.
 */
export function table(caption, columns, rows) {
  if (!rows || rows.length === 0) {
    return h('p', { class: 'notice' }, `${caption}: none.`);
  }
  return h('div', { class: 'table-wrap' },
    h('table', {},
      h('caption', {}, caption),
      h('thead', {}, h('tr', {}, columns.map(([label, , numeric]) => h('th', { scope: 'col', class: numeric ? 'num' : null }, label)))),
      h('tbody', {}, rows.map((row) => h('tr', {}, columns.map(([, cell, numeric]) => {
        const value = cell(row);
        return h('td', { class: numeric ? 'num' : null }, value instanceof Node ? value : show(value));
      }))))));
}

/** A table of whatever fields the rows carry, for answers the console shows as they are. */
export function fieldTable(caption, rows) {
  const names = [];
  for (const row of rows || []) {
    for (const name of Object.keys(row)) {
      if (!names.includes(name)) {
        names.push(name);
      }
    }
  }
  return table(caption, names.map((name) => [name, (row) => row[name], false]), rows);
}

export function facts(pairs) {
  return h('dl', { class: 'facts' }, pairs.map(([term, value]) => [h('dt', {}, term), h('dd', {}, value instanceof Node ? value : show(value))]));
}

/** The API's refusal, as its title and detail; a 404 of a route this version lacks says that plainly. */
export function problem(error, unavailableWhat) {
  if (unavailableWhat && error.status === 404 && /^no route /.test(error.detail || '')) {
    return h('div', { class: 'notice', role: 'status' },
      h('strong', {}, `${unavailableWhat} is not available in this version of the service. `),
      `(${error.status} ${error.title}: ${error.detail})`);
  }
  return h('div', { class: 'problem', role: 'alert' },
    h('strong', {}, `${error.status ? `${error.status} ` : ''}${error.title}`), ': ', error.detail,
    error.errors && error.errors.length
      ? h('ul', {}, error.errors.map((e) => h('li', {}, `${e.field}: ${e.message}`)))
      : null);
}

export function done(text) {
  return h('p', { class: 'done', role: 'status' }, '✓ ', text);
}

/** Datetime-local input value (local time) as an ISO instant, or '' when empty. */
export function instant(localValue) {
  return localValue ? new Date(localValue).toISOString() : '';
}

/** An ISO instant as a datetime-local input value, in local time. */
export function localInput(date) {
  const pad = (n) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}
