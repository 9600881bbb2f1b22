// Content-script loader. Content scripts cannot be ES modules, so the wasm glue is imported
// dynamically; everything else happens in Rust (start_content).
(async () => {
  // The store build closes our shadow root: page scripts can neither read our UI nor reach its
  // buttons. `cargo xtask build --dev` writes `true` here, for the tests' WebDriver shadow-root commands.
  const OPEN_SHADOW_ROOT = false;
  if (globalThis.__piaozoneAssistLoaded) return; // injected twice (registration + executeScript)
  globalThis.__piaozoneAssistLoaded = true;
  performance.mark('piaozone-assist:content-start'); // read by `cargo xtask bench`
  try {
    const glue = await import(chrome.runtime.getURL('pkg/piaozone_assist.js'));
    await glue.default({ module_or_path: chrome.runtime.getURL('pkg/piaozone_assist_bg.wasm') });
    glue.start_content(OPEN_SHADOW_ROOT);
  } catch (error) {
    // A page CSP without 'wasm-unsafe-eval' stops WebAssembly here: say so (action badge + popup)
    // instead of failing silently. The console itself is untouched either way.
    const blocked = /CompileError|EvalError|Content Security Policy|wasm-unsafe-eval/i.test(`${error && error.name} ${error && error.message}`);
    const report = { origin: location.origin, reason: String(error && error.message || error).slice(0, 200) };
    chrome.runtime.sendMessage({ [blocked ? 'WasmBlocked' : 'StartFailed']: report });
  }
})();
