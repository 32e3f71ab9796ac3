import { render } from 'preact';
import { Store } from './store.js';
import { App } from './ui/App.js';
import { StoreContext } from './ui/hooks.js';
import './styles.css';

const store = new Store();
render(
  <StoreContext.Provider value={store}>
    <App />
  </StoreContext.Provider>,
  document.getElementById('app')!,
);
