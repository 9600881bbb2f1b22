// Options: UI language and extra environment pairs, kept in chrome.storage.local (no secrets).
for (const el of document.querySelectorAll('[data-i18n]')) el.textContent = chrome.i18n.getMessage(el.dataset.i18n);

const lang = document.getElementById('lang');
const envs = document.getElementById('environments');
const status = document.getElementById('env-status');
const stored = await chrome.storage.local.get(['lang', 'environments']);
lang.value = stored.lang || 'auto';
envs.value = stored.environments ? JSON.stringify(stored.environments, null, 2) : '';

// Opened by the connection test as options.html#grant=<origin>: the content script cannot ask for
// a host permission, and chrome.permissions.request needs a click on an extension page.
const grantOrigin = decodeURIComponent((location.hash.match(/^#grant=(.+)$/) || [])[1] || '');
if (/^https?:\/\/[^/*?#@\s]+$/.test(grantOrigin)) {
  const grantStatus = document.getElementById('grant-status');
  const grantButton = document.getElementById('grant-button');
  grantButton.textContent = `授权访问 ${grantOrigin} / Allow access to ${grantOrigin}`;
  grantButton.onclick = async () => {
    const granted = await chrome.permissions.request({ origins: [`${grantOrigin}/*`] });
    grantStatus.dataset.ok = String(granted);
    grantStatus.textContent = granted
      ? '已授权，请回到控制台再测试一次 / Granted: run the test again in the console'
      : '未授权 / Not granted';
  };
  document.getElementById('grant').hidden = false;
}

lang.onchange = () => chrome.storage.local.set({ lang: lang.value });

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
