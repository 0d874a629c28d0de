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
    label.style.cssText = 'position:fixed;left:12px;bottom:12px;z-index:2147483647;' +
      'background:#263238;color:#fff;font:14px system-ui,sans-serif;padding:8px 12px;' +
      'border-radius:4px;opacity:.92;pointer-events:none';
    root.appendChild(label);
    const show = () => {
      let step = '';
      try { step = sessionStorage.getItem('sc-license-step') || ''; } catch (e) {}
      label.textContent = 'sc-license: ' + step;
    };
    window.__scLicenseShowStep = (name) => {
      try { sessionStorage.setItem('sc-license-step', name); } catch (e) {}
      show();
    };
    document.body.appendChild(host);
    show();
  };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', attach);
  else attach();
})();
