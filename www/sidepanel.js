// Side panel loader: an extension page, so its wasm (pages/, never web-accessible) runs here
// whatever the console's CSP says; everything else happens in Rust (start_side_panel).
import init, { start_side_panel } from './pages/pages.js';

await init({ module_or_path: new URL('./pages/pages_bg.wasm', import.meta.url) });
// 对照清单's reader, loaded on the first file the admin picks.
const listReader = async () => {
  const lists = await import('./lists/lists.js');
  await lists.default({ module_or_path: new URL('./lists/lists_bg.wasm', import.meta.url) });
  return lists.read_company_list;
};
start_side_panel(listReader);
