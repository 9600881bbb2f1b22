// Popup: enable or disable the assistant on the open site. The host-permission request needs the
// click's user gesture, so it happens here; registration and status are the worker's (Rust).
const t = (key) => chrome.i18n.getMessage(key);
for (const el of document.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
document.documentElement.lang = chrome.i18n.getUILanguage();

const [tab] = await chrome.tabs.query({ active: true, currentWindow: true });
const status = document.getElementById('status');
const toggle = document.getElementById('toggle');
let origin = null;
try {
  const url = new URL(tab.url);
  if (url.protocol === 'http:' || url.protocol === 'https:') origin = url.origin;
} catch (_) { /* no URL: chrome:// pages, new tab */ }

async function refresh() {
  if (!origin) { status.textContent = t('popupNoSite'); return; }
  document.getElementById('site').textContent = origin;
  const { SiteStatus: s } = await chrome.runtime.sendMessage({ SiteStatus: { origin, tab_id: tab.id } });
  document.getElementById('wasm-blocked').hidden = !s.wasm_blocked;
  status.textContent = s.managed ? t('popupManaged') : t(s.enabled ? 'popupEnabled' : 'popupNotEnabled');
  toggle.hidden = s.managed;
  toggle.textContent = t(s.enabled ? 'popupDisable' : 'popupEnable');
  toggle.className = s.enabled ? 'off' : '';
  toggle.onclick = async () => {
    if (s.enabled) {
      await chrome.runtime.sendMessage({ DisableSite: { origin } });
      await chrome.permissions.remove({ origins: [`${origin}/*`] }).catch(() => {});
    } else {
      const granted = await chrome.permissions.request({ origins: [`${origin}/*`] });
      if (!granted) { status.textContent = t('popupDenied'); return; }
      await chrome.runtime.sendMessage({ EnableSite: { origin, tab_id: tab.id } });
    }
    await refresh();
  };
}
refresh();
