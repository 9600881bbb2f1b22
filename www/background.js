// Service worker. Listeners must be registered synchronously at start, so they live here; the
// work is done in Rust (handle_message, register_consoles).
import init, { handle_message, register_consoles } from './worker/worker.js';

const ready = init({ module_or_path: new URL('./worker/worker_bg.wasm', import.meta.url) });

chrome.runtime.onMessage.addListener((message, sender, reply) => {
  ready
    .then(() => handle_message(message, sender.tab ? sender.tab.id : -1))
    .then(reply, (error) => reply({ Error: { message: String(error) } }));
  return true; // the reply is asynchronous
});

const registerAll = () => ready.then(register_consoles).catch((e) => console.warn('[发票云配置助手]', String(e)));
chrome.runtime.onStartup.addListener(registerAll);
chrome.runtime.onInstalled.addListener(registerAll);
