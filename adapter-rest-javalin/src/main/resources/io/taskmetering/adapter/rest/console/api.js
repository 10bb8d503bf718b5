// The console's only way to the service: the public API on this origin, with the key of this browser session.
const KEY = 'taskmetering.api_key';

/** A refused request: the problem's status, title and detail as the API wrote them. */
export class ApiError extends Error {
  constructor(status, title, detail, errors) {
    super(`${title}: ${detail}`);
    this.status = status;
    this.title = title;
    this.detail = detail;
    this.errors = errors || [];
  }
}

export function apiKey() {
  return sessionStorage.getItem(KEY) || '';
}

export function setApiKey(key) {
  if (key) {
    sessionStorage.setItem(KEY, key);
  } else {
    sessionStorage.removeItem(KEY);
  }
}

export async function request(method, path, body) {
  const headers = { Accept: 'application/json, application/problem+json' };
  const key = apiKey();
  if (key) {
    headers.Authorization = `Bearer ${key}`;
  }
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
  }
  let response;
  try {
    response = await fetch(path, {
      method, headers, cache: 'no-store', credentials: 'omit',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (e) {
    throw new ApiError(0, 'Service unreachable', `the request to ${path} failed: ${e.message}`);
  }
  const text = await response.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch (e) {
    json = null;
  }
  if (!response.ok) {
    // Native routes answer problem+json; anything else ({"error"} or a proxy's page) still gets a title and detail.
    const title = (json && json.title) || response.statusText || `HTTP ${response.status}`;
    const detail = (json && (json.detail || json.error)) || text || 'no detail given';
    throw new ApiError(response.status, title, detail, json && json.errors);
  }
  return json;
}

export const get = (path) => request('GET', path);
export const post = (path, body) => request('POST', path, body === undefined ? {} : body);

/** A path with the given query parameters, leaving out empty ones. */
export function withQuery(path, params) {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') {
      query.set(name, value);
    }
  }
  const text = query.toString();
  return text ? `${path}?${text}` : path;
}

/** Every item of a cursor-paged listing, up to {@code maxItems}; {@code truncated} says when more exist. */
export async function collect(path, params, maxItems) {
  const items = [];
  let cursor = null;
  do {
    const page = await get(withQuery(path, { ...params, limit: 1000, cursor }));
    items.push(...page.data);
    cursor = page.next_cursor;
  } while (cursor && items.length < maxItems);
  return { items: items.slice(0, maxItems), truncated: Boolean(cursor) || items.length > maxItems };
}
