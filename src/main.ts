import { mount } from 'svelte';
import App from './App.svelte';
import { router } from './lib/app-state.ts';
import { EmbedBridge, parsePage } from './lib/embed/bridge.svelte.ts';
import { embedSettings } from './lib/embed/embed-mode.ts';
import { embedHooks } from './lib/embed/hooks.ts';
import { sampleLink } from './lib/sample-link.svelte.ts';
import { theme } from './lib/theme.svelte.ts';
import './lib/styles/app.css';

// Embed settings come before the first render: the page, its filters and the theme.
if (embedSettings.embed) {
  theme.set(embedSettings.theme, false);
  const page = embedSettings.page ? parsePage(embedSettings.page) : undefined;
  if (page) router.go(page.id, page.sub);
  if (embedSettings.filters) router.setParams(new URLSearchParams(embedSettings.filters));
}

const target = document.getElementById('app');
if (!target) throw new Error('missing #app element');

export default mount(App, { target });

// `?sample` opens the app on the built-in sample data (the README's first command), never over the user's results.
if (new URLSearchParams(location.search).has('sample')) void sampleLink.open();

// Inside an iframe, the host page may drive the app through the postMessage API.
if (window.parent !== window) {
  new EmbedBridge(embedHooks).start();
}
