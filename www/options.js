// Options page loader: the page itself is Rust (ext::settings_page::start_options, ui::settings).
import init, { start_options } from './pages/pages.js';

await init({ module_or_path: new URL('./pages/pages_bg.wasm', import.meta.url) });
start_options();
