// Popup loader: the popup itself is Rust (ext::settings_page::start_popup, ui::settings::popup).
import init, { start_popup } from './pages/pages.js';

await init({ module_or_path: new URL('./pages/pages_bg.wasm', import.meta.url) });
start_popup();
