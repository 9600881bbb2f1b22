// A console whose CSP forbids WebAssembly: this plain script only reads the page and sends it,
// through the worker, to the side panel, which runs every check (no rules, labels or decisions
// here). A snapshot is the body's markup with each control's current value written into it,
// each element without a layout box marked, each control numbered for 定位. It holds what the
// admin typed, secrets included: it goes to our worker only, which stores none of it.
const CHANGE_DELAY_MS = 150;

export function startFallback() {
  if (window.top !== window) return; // the side panel follows the top frame
  let controls = []; // the page's controls, numbered as in the last snapshot

  const snapshot = () => {
    const copy = document.body.cloneNode(true);
    const live = document.body.getElementsByTagName('*');
    const copied = copy.getElementsByTagName('*');
    controls = [];
    for (let i = 0; i < live.length; i++) {
      const el = live[i];
      const to = copied[i];
      // An element with no box is hidden, unless it only groups its children (display: contents).
      if (el.getClientRects().length === 0 && getComputedStyle(el).display !== 'contents') to.setAttribute('data-pa-hidden', '');
      if (el instanceof HTMLInputElement) {
        if (el.type === 'checkbox' || el.type === 'radio') to.toggleAttribute('checked', el.checked);
        else to.setAttribute('value', el.value);
      } else if (el instanceof HTMLTextAreaElement) {
        to.textContent = el.value;
      } else if (el instanceof HTMLSelectElement) {
        for (let o = 0; o < el.options.length; o++) to.options[o].toggleAttribute('selected', el.options[o].selected);
      } else {
        continue;
      }
      to.setAttribute('data-pa-ref', String(controls.length));
      controls.push(el);
    }
    for (const dropped of copy.querySelectorAll('script, style, noscript, template')) dropped.remove();
    const root = document.documentElement.cloneNode(false);
    root.appendChild(copy);
    return { html: root.outerHTML, url: location.href, lang: document.documentElement.lang || null };
  };

  chrome.runtime.onMessage.addListener((message, _sender, reply) => {
    const ask = message && message.Side;
    if (!ask) return false;
    if (ask.Reveal) {
      const control = controls[Number(ask.Reveal.key)];
      if (control && control.isConnected) {
        control.scrollIntoView({ block: 'center' });
        control.focus();
      }
      reply('Ack');
    } else {
      reply({ Snapshot: snapshot() });
    }
    return false;
  });

  // The side panel asks for a new snapshot when told the page changed.
  let timer = 0;
  const changed = () => {
    clearTimeout(timer);
    timer = setTimeout(() => chrome.runtime.sendMessage('PageChanged').catch(() => {}), CHANGE_DELAY_MS);
  };
  new MutationObserver(changed).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
  document.addEventListener('input', changed, true);
  document.addEventListener('change', changed, true);
}
