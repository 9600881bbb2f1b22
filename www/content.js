// Content-script loader. Content scripts cannot be ES modules, so the wasm glue is imported
// dynamically; everything else happens in Rust (start_content).
(async () => {
  // `cargo xtask build --dev` writes `true` here: the tests' and the bench's build keeps our shadow
  // root open (WebDriver's shadow-root commands) and makes the bench's timing marks. The store build
  // closes the root, so page scripts can neither read our UI nor reach its buttons, and shows the
  // page no mark or probe that would tell it the extension is there.
  const DEV_BUILD = false;
  if (globalThis.__piaozoneAssistLoaded) return; // injected twice (registration + executeScript)
  globalThis.__piaozoneAssistLoaded = true;
  if (DEV_BUILD) performance.mark('piaozone-assist:content-start'); // read by `cargo xtask bench`
  // Started before the glue loads, so that they overlap it: the worker wakes and reads this
  // console's stored state, and the wasm streams in and compiles.
  const stored = chrome.runtime.sendMessage('LoadStored').catch(() => null);
  const compiled = WebAssembly.compileStreaming(fetch(chrome.runtime.getURL('pkg/piaozone_assist_bg.wasm')));
  compiled.catch(() => {}); // a CSP refusal surfaces where the init awaits it, below
  try {
    const glue = await import(chrome.runtime.getURL('pkg/piaozone_assist.js'));
    await glue.default({ module_or_path: compiled });
    if (DEV_BUILD) performance.mark('piaozone-assist:wasm-ready'); // glue imported, wasm fetched, compiled, instantiated
    // The list reader (对照清单) is a module of its own, fetched from the extension only when the
    // admin picks a company list: console pages never download its spreadsheet parsers.
    const listReader = async () => {
      const lists = await import(chrome.runtime.getURL('lists/lists.js'));
      await lists.default({ module_or_path: chrome.runtime.getURL('lists/lists_bg.wasm') });
      return lists.read_company_list;
    };
    glue.start_content(DEV_BUILD, listReader, stored);
  } catch (error) {
    // A page CSP without 'wasm-unsafe-eval' stops WebAssembly here: say so (action badge + popup)
    // instead of failing silently, and hand over to the side panel. The console itself is
    // untouched either way.
    const blocked = /CompileError|EvalError|Content Security Policy|wasm-unsafe-eval/i.test(`${error && error.name} ${error && error.message}`);
    const report = { reason: String(error && error.message || error).slice(0, 200) };
    chrome.runtime.sendMessage({ [blocked ? 'WasmBlocked' : 'StartFailed']: report });
    // The checks then run in the side panel, from what this plain script reads and sends.
    if (blocked) (await import(chrome.runtime.getURL('fallback.js'))).startFallback();
  }
})();
