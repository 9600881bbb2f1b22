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
  // Opened here, inside the click's user gesture (no await before it).
  const side = document.getElementById('side');
  side.hidden = !chrome.sidePanel || !(s.enabled || s.managed);
  side.onclick = () => {
    chrome.sidePanel.open({ tabId: tab.id }).then(() => window.close(), (e) => { status.textContent = String(e); });
  };
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
// 复制页面结构: the top frame's content script builds the report (structure only, never a value);
// it is shown in full before anything is copied.
const report = document.getElementById('report');
report.hidden = !origin;
report.onclick = async () => {
  const lang = chrome.i18n.getUILanguage().toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
  const reportStatus = document.getElementById('report-status');
  let text = null;
  try {
    text = await chrome.tabs.sendMessage(tab.id, { PageReport: { lang } }, { frameId: 0 });
  } catch (_) { /* no content script on this tab */ }
  document.getElementById('report-preview').hidden = false;
  document.body.classList.add('previewing');
  const copy = document.getElementById('report-copy');
  copy.hidden = typeof text !== 'string';
  document.getElementById('report-text').textContent = typeof text === 'string' ? text : '';
  reportStatus.textContent = typeof text === 'string' ? '' : t('popupReportUnavailable');
  copy.onclick = async () => {
    try {
      await navigator.clipboard.writeText(text);
      reportStatus.textContent = t('popupReportCopied');
    } catch (_) {
      reportStatus.textContent = t('popupReportCopyFailed');
    }
  };
};
refresh();
