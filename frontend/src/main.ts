/**
 * Wiring only: client -> store -> views. The same bundle serves the main page and the embed view
 * (`/embed`, or embed.html with <body data-page="embed">).
 */
import './styles.css';
import { ProcpulseClient } from './net/client';
import { SecondClock } from './state/clock';
import { Store } from './state/store';
import { formatUrl, parseHashRoute, parseUrl, type UrlState } from './state/url';
import { App } from './views/app';
import { EmbedView, parseEmbedParams } from './views/embed';
import { applyTheme, storedTheme } from './views/theme';

function startApp(root: HTMLElement): Store {
  // No timer of the client's own: the page's SecondClock (startClock) drives its idle check.
  const client = new ProcpulseClient({ ownTimer: false });
  const store = new Store(client);
  store.syncServerWatch = true; // "Watch" here is the server's persisted watch list
  const url = parseUrl(location.search);
  store.windowSec = url.windowSec;
  store.compareMetric = url.metric;
  store.sort = url.sort;
  store.order = url.order;
  store.filter = url.filter;
  store.theme = url.theme ?? storedTheme();
  for (const pid of url.watch) store.watch(pid);
  if (url.view === 'process' && url.pid !== null) store.open('process', url.pid);
  else store.open(url.view);
  // A hash route (#/process/1234, #/alerts) opens its view; the query string then takes over.
  const route = (): void => {
    const r = parseHashRoute(location.hash);
    if (!r) return;
    if (r.view === 'process' && r.pid !== null) store.open('process', r.pid);
    else store.open(r.view);
    history.replaceState(null, '', `${location.pathname}${location.search}`);
  };
  route();
  window.addEventListener('hashchange', route);

  let lastUrl = location.search;
  const syncUrl = (): void => {
    const s: UrlState = {
      watch: store.shownWatched(),
      view: store.view,
      pid: store.selectedPid,
      windowSec: store.windowSec,
      metric: store.compareMetric,
      sort: store.sort,
      order: store.order,
      filter: store.filter,
      theme: url.theme,
    };
    const next = formatUrl(s);
    if (next !== lastUrl) {
      lastUrl = next;
      history.replaceState(null, '', `${location.pathname}${next}${location.hash}`);
    }
  };
  const app = new App(root, store, syncUrl);
  store.setRenderer((dirty) => app.render(dirty));
  window.addEventListener('pagehide', () => store.persist());
  client.subscribeSystem();
  client.subscribeAlerts();
  store.pushTableQuery();
  client.connect();
  startClock(client, store);
  return store;
}

/** The page's once-a-second chores, run with the server's messages while they flow. */
function startClock(client: ProcpulseClient, store: Store): void {
  const clock = new SecondClock(() => {
    client.tick();
    store.tick();
  });
  // After the message is applied (a microtask, in the same task): the chores see the new state,
  // and the idle check never judges a resync stuck on the very message that completes it.
  client.on('message', () => queueMicrotask(() => clock.poke()));
  clock.start();
}

function startEmbed(root: HTMLElement): Store {
  const params = parseEmbedParams(location.search);
  document.documentElement.classList.add('embedded');
  const client = new ProcpulseClient({ ownTimer: false });
  const store = new Store(client);
  store.windowSec = params.windowSec;
  store.theme = params.theme;
  applyTheme(params.theme, () => store.mark('theme')); // before the charts read their colours
  for (const pid of params.pids) store.watch(pid);
  const view = new EmbedView(root, store, params);
  store.setRenderer((dirty) => view.render(dirty));
  // The system topic changes every tick, so a delta arrives every tick and the charts move on
  // even while the watched processes do not change.
  client.subscribeSystem();
  client.connect();
  startClock(client, store);
  return store;
}

const root = document.getElementById('app') as HTMLElement;
const embed = document.body.dataset.page === 'embed' || /\/embed(\.html)?\/?$/.test(location.pathname);
const store = embed ? startEmbed(root) : startApp(root);
// For the browser tests and for debugging from the console.
(window as unknown as { procpulse: Store }).procpulse = store;
