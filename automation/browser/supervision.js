// Runs in every page and frame before the page's own scripts (see supervision.py).
(() => {
  const HIGHLIGHT = 'data-sc-license-highlight';
  const mark = (element) => {
    if (!(element instanceof Element)) return;
    for (const old of document.querySelectorAll('[' + HIGHLIGHT + ']')) old.removeAttribute(HIGHLIGHT);
    element.setAttribute(HIGHLIGHT, '');
  };
  // The mouse arrives just before a click; a field takes focus just before it is filled.
  addEventListener('pointerover', (event) => mark(event.target), true);
  addEventListener('focusin', (event) => mark(event.target), true);
  const attach = () => {
    const style = document.createElement('style');
    style.textContent = '[' + HIGHLIGHT + '] { outline: 3px solid #ff9800 !important; outline-offset: 2px; }';
    document.head.appendChild(style);
    if (window.top !== window) return;
    const host = document.createElement('div');
    host.id = 'sc-license-supervision';
    const root = host.attachShadow({ mode: 'closed' });
    const label = document.createElement('div');
    // A badge in the bottom right corner: Service Center's header (its logo, its tabs) is at
    // the top, Chromium's link preview at the bottom left. A tiled fleet's window is shown
    // whole, scaled down (windows.py), so its corner is in sight too. Clicks go through it.
    label.style.cssText = 'position:fixed;right:8px;bottom:8px;z-index:2147483647;' +
      'max-width:calc(60vw - 16px);overflow:hidden;white-space:nowrap;text-overflow:ellipsis;' +
      'background:#263238;color:#fff;font:600 15px system-ui,sans-serif;padding:6px 10px;' +
      'border-radius:4px;box-shadow:0 2px 6px rgba(0,0,0,.4);pointer-events:none';
    root.appendChild(label);
    const show = () => {
      const step = window.__scLicenseStep || {};
      label.textContent = step.text || 'sc-license';
      // The window's title names the environment too: a headed fleet has one window each.
      const prefix = step.environment ? '[' + step.environment + '] ' : '';
      if (prefix && !document.title.startsWith(prefix)) document.title = prefix + document.title;
    };
    window.__scLicenseShowStep = (step) => {
      window.__scLicenseStep = step;
      show();
    };
    document.body.appendChild(host);
    show();
  };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', attach);
  else attach();
})();
