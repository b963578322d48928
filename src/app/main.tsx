import './styles/theme.css';
import './styles/base.css';
import './styles/components.css';
import './styles/home.css';
import { render } from 'solid-js/web';
import { App } from './App.tsx';
import { connectStores, startApp } from './stores/boot.ts';

const root = document.getElementById('root');
if (!root) throw new Error('missing #root');

startApp();
// index.html paints a static shell before this runs; render() appends, so clear it first. Both
// happen in this task, so no frame shows an empty page in between.
root.replaceChildren();
render(() => {
  connectStores();
  return <App />;
}, root);
