// The console's shell: the key of this browser session, the navigation, and which view the address shows.
import { apiKey, setApiKey, get } from './api.js';
import { h, problem } from './dom.js';
import * as views from './views.js';

const VIEWS = {
  overview: views.overview,
  reviews: views.reviews,
  charges: views.charges,
  'usage-events': views.usageEvents,
  anomalies: views.anomalies,
  reconciliation: views.reconciliation,
  rules: views.rules,
};

const main = document.getElementById('main');
const keyStatus = document.getElementById('key-status');

/** Asks the API who the key is good for: any key may read the contract versions. */
async function checkKey() {
  try {
    await get('/v1/contracts');
    keyStatus.replaceChildren(apiKey() ? 'Key accepted for this browser session.' : 'No key: served as loopback admin.');
    return true;
  } catch (error) {
    keyStatus.replaceChildren();
    main.replaceChildren(h('h2', {}, 'The key was not accepted'), problem(error),
      h('p', {}, 'Enter a valid API key above (it is kept for this browser session only).'));
    return false;
  }
}

function route() {
  const [name, ...rest] = (location.hash.slice(1) || 'overview').split('/');
  const view = VIEWS[name] || views.overview;
  for (const link of document.querySelectorAll('nav a')) {
    if (link.getAttribute('href') === `#${VIEWS[name] ? name : 'overview'}`) {
      link.setAttribute('aria-current', 'page');
    } else {
      link.removeAttribute('aria-current');
    }
  }
  view(main, rest.length ? decodeURIComponent(rest.join('/')) : null);
  main.focus();
}

async function start() {
  if (await checkKey()) {
    route();
  }
}

document.getElementById('key-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const input = document.getElementById('api-key');
  setApiKey(input.value.trim());
  input.value = '';
  start();
});
document.getElementById('forget-key').addEventListener('click', () => {
  setApiKey('');
  start();
});
window.addEventListener('hashchange', route);
start();
