// Service worker. Listeners must be registered synchronously at start, so they live here; the
// work is done in Rust (handle_message, register_consoles, announce_language, announce_bindings).
import init, { announce_bindings, announce_checklist, announce_language, forget_granted, forget_stored, handle_message, register_consoles } from './worker/worker.js';

const ready = init({ module_or_path: new URL('./worker/worker_bg.wasm', import.meta.url) });

// Content scripts run beside the page (a compromised renderer can drive them): they get no
// chrome.storage of their own, and read or write the little they need through the worker's
// messages, each checked against the browser's account of its sender.
chrome.storage.local.setAccessLevel({ accessLevel: 'TRUSTED_CONTEXTS' })
  .catch((e) => console.warn('[发票云配置助手]', String(e)));

// The side panel opens only within a user gesture, which lasts through this listener's
// synchronous part: the in-page launcher's click is one. Only our content script's own tab.
const openSidePanel = (tabId) => {
  if (chrome.sidePanel && tabId >= 0) chrome.sidePanel.open({ tabId }).catch((e) => console.warn('[发票云配置助手]', String(e)));
};

chrome.runtime.onMessage.addListener((message, sender, reply) => {
  if (message === 'OpenSidePanel' && sender.id === chrome.runtime.id && sender.tab && sender.frameId === 0) openSidePanel(sender.tab.id);
  ready
    .then(() => handle_message(message, sender))
    .then(reply, (error) => reply({ Error: { message: String(error) } }));
  return true; // the reply is asynchronous
});

chrome.storage.onChanged.addListener((changes, area) => {
  if (area === 'local' || area === 'managed') ready.then(() => forget_stored(area, Object.keys(changes))); // the worker's cached reads (ext::stored)
  if (area === 'local' && 'lang' in changes) ready.then(announce_language);
  if ((area === 'local' || area === 'managed') && 'bindings' in changes) ready.then(announce_bindings);
  if (area === 'local' && 'checklist' in changes) ready.then(announce_checklist);
});

// The keyboard command (chrome://extensions/shortcuts) opens the side panel on the active tab.
chrome.commands.onCommand.addListener((command, tab) => {
  if (command === 'open-side-panel' && tab) openSidePanel(tab.id);
});

chrome.permissions.onAdded.addListener(() => ready.then(forget_granted));
chrome.permissions.onRemoved.addListener(() => ready.then(forget_granted));

const registerAll = () => ready.then(register_consoles).catch((e) => console.warn('[发票云配置助手]', String(e)));
chrome.runtime.onStartup.addListener(registerAll);
chrome.runtime.onInstalled.addListener(registerAll);
