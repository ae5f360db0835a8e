import { mount } from 'svelte';
import App from './App.svelte';
import { loadSample } from './lib/app-state.ts';
import './lib/styles/app.css';

const target = document.getElementById('app');
if (!target) throw new Error('missing #app element');

export default mount(App, { target });

// `?sample` opens the app straight on the built-in sample data (the README's first command).
if (new URLSearchParams(location.search).has('sample')) void loadSample();
