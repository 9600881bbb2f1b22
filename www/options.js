// Options: UI language, extra environment pairs and the token endpoints allowed, kept in
// chrome.storage.local (no secrets).
for (const el of document.querySelectorAll('[data-i18n]')) el.textContent = chrome.i18n.getMessage(el.dataset.i18n);

const lang = document.getElementById('lang');
const envs = document.getElementById('environments');
const status = document.getElementById('env-status');
const endpoints = document.getElementById('endpoints');
const endpointsStatus = document.getElementById('endpoints-status');
const bindings = document.getElementById('bindings');
const bindingsStatus = document.getElementById('bindings-status');
const checklist = document.getElementById('checklist');
const stored = await chrome.storage.local.get(['lang', 'checklist', 'environments', 'tokenEndpoints', 'bindings']);
// Stored as an object; older versions stored the text itself.
bindings.value = typeof stored.bindings === 'string' ? stored.bindings : stored.bindings ? JSON.stringify(stored.bindings, null, 2) : '';
lang.value = stored.lang || 'auto';
checklist.value = stored.checklist === 'page' || !chrome.sidePanel ? 'page' : 'side';
checklist.disabled = !chrome.sidePanel;
checklist.onchange = () => chrome.storage.local.set({ checklist: checklist.value });
envs.value = stored.environments ? JSON.stringify(stored.environments, null, 2) : '';
endpoints.value = (stored.tokenEndpoints || []).join('\n');

// A plain origin: scheme, host and an optional port, nothing else (the worker checks again).
const ORIGIN = /^https?:\/\/[^/*?#@\s]+$/;

// Opened by the connection test as options.html#grant=<origin> (a host permission is missing) or
// #allow=<origin> (also not yet a token endpoint): the content script cannot ask for a host
// permission, and chrome.permissions.request needs a click on an extension page.
const [, action, encoded] = location.hash.match(/^#(grant|allow)=(.+)$/) || [];
const grantOrigin = decodeURIComponent(encoded || '');
if (ORIGIN.test(grantOrigin)) {
  const grantStatus = document.getElementById('grant-status');
  const grantButton = document.getElementById('grant-button');
  grantButton.textContent = action === 'allow'
    ? `允许连接测试发往 ${grantOrigin} / Allow the test to call ${grantOrigin}`
    : `授权访问 ${grantOrigin} / Allow access to ${grantOrigin}`;
  grantButton.onclick = async () => {
    // The permission first: its request must stay inside the click's user gesture.
    const granted = await chrome.permissions.request({ origins: [`${grantOrigin}/*`] });
    if (granted && action === 'allow') {
      const list = (await chrome.storage.local.get('tokenEndpoints')).tokenEndpoints || [];
      if (!list.includes(grantOrigin)) list.push(grantOrigin);
      await chrome.storage.local.set({ tokenEndpoints: list });
      endpoints.value = list.join('\n');
    }
    grantStatus.dataset.ok = String(granted);
    grantStatus.textContent = granted
      ? '已授权，请回到控制台再测试一次 / Granted: run the test again in the console'
      : '未授权 / Not granted';
  };
  document.getElementById('grant').hidden = false;
}

lang.onchange = () => chrome.storage.local.set({ lang: lang.value });

// One origin per line; any line that is not one saves nothing and is named.
function parseEndpoints(text) {
  const lines = text.split('\n').map((line) => line.trim());
  lines.forEach((line, i) => {
    if (line && !ORIGIN.test(line)) throw new Error(`第 ${i + 1} 行不是 scheme://host[:port]：${line} / line ${i + 1} is not scheme://host[:port]`);
  });
  return [...new Set(lines.filter(Boolean).map((line) => line.replace(/\/+$/, '')))];
}

document.getElementById('save-endpoints').onclick = async () => {
  try {
    const list = parseEndpoints(endpoints.value);
    await chrome.storage.local.set({ tokenEndpoints: list });
    endpointsStatus.dataset.ok = 'true';
    endpointsStatus.textContent = `已保存 ${list.length} 项；新地址在第一次连接测试时请求访问授权 / saved ${list.length}; a new address asks for access at its first test`;
  } catch (e) {
    endpointsStatus.dataset.ok = 'false';
    endpointsStatus.textContent = `未保存：${e.message} / not saved`;
  }
};

// The worker checks the bindings against the guide (page and field ids, empty entries, JSON) and
// saves them only when they check out; its message names the line.
document.getElementById('save-bindings').onclick = async () => {
  const answer = await chrome.runtime.sendMessage({ SaveBindings: { text: bindings.value } });
  if (answer && answer.BindingsSaved) {
    const { pages, fields } = answer.BindingsSaved;
    bindingsStatus.dataset.ok = 'true';
    bindingsStatus.textContent = `已保存：${pages} 个页面、${fields} 个字段，已打开的控制台页面已更新 / saved: ${pages} pages, ${fields} fields; open console tabs updated`;
  } else {
    bindingsStatus.dataset.ok = 'false';
    const why = (answer && (answer.Error?.message || answer.Refused?.reason)) || 'no answer';
    bindingsStatus.textContent = `未保存：${why} / not saved`;
  }
};

// The shape the worker reads: [{name, base}], base an http(s) URL; a name used twice is a pair.
function parseEnvironments(text) {
  if (!text.trim()) return [];
  const list = JSON.parse(text);
  if (!Array.isArray(list)) throw new Error('应为数组 / expected an array');
  list.forEach((e, i) => {
    if (!e || typeof e.name !== 'string' || !e.name.trim()) throw new Error(`第 ${i + 1} 项缺少 name / item ${i + 1}: name missing`);
    const url = new URL(e.base);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error(`第 ${i + 1} 项 base 不是 http(s) 地址 / item ${i + 1}: base is not http(s)`);
  });
  return list.map((e) => ({ name: e.name.trim(), base: e.base.trim() }));
}

document.getElementById('save').onclick = async () => {
  try {
    const list = parseEnvironments(envs.value);
    await chrome.storage.local.set({ environments: list });
    status.dataset.ok = 'true';
    status.textContent = `已保存 ${list.length} 项 / saved ${list.length}`;
  } catch (e) {
    status.dataset.ok = 'false';
    status.textContent = `未保存：${e.message} / not saved`;
  }
};
