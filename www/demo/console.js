/*
 * Replica of the Kingdee 星瀚 (Cosmic) console behaviours for the piaozone-assist demo pages.
 * Plain DOM, no framework, no external resources. Everything below is the replica's own behaviour;
 * the page never depends on anything a browser extension adds.
 *
 * What comes from the reference (piaozone-domain.md §3): tab <li data-splitscreen-pageid> ending with the
 * formId, kd-cq-* class names, [data-field-item] field containers, .kd-cq-combo-selected,
 * .kd-cq-dropdown-menu-item, kd-cq-tabpage + `hidden`, #bar_save, .kd-table-container / .kd-table-header-title /
 * span.link-cell-content.
 * [inference] everything else: how a tab <li> maps to its tabpage (data-pageid), combo dropdowns rendered as a
 * portal under <body>, dialogs cloned from <template> into <body> on open and removed on close (React portal
 * style), toast/notification markup (antd-like kd-cq-message / kd-cq-notification), random pageId prefixes.
 */
(function () {
  'use strict';

  var KD = (window.KD = window.KD || {});

  function $(sel, root) { return (root || document).querySelector(sel); }
  function $all(sel, root) { return Array.prototype.slice.call((root || document).querySelectorAll(sel)); }
  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    if (attrs) Object.keys(attrs).forEach(function (k) {
      if (k === 'class') e.className = attrs[k];
      else if (k === 'text') e.textContent = attrs[k];
      else if (k === 'html') e.innerHTML = attrs[k];
      else if (attrs[k] !== undefined && attrs[k] !== null && attrs[k] !== false) e.setAttribute(k, attrs[k] === true ? '' : attrs[k]);
    });
    (children || []).forEach(function (c) { if (c) e.appendChild(typeof c === 'string' ? document.createTextNode(c) : c); });
    return e;
  }
  KD.$ = $; KD.$all = $all; KD.el = el;

  function randHex(n) {
    var s = '';
    for (var i = 0; i < n; i++) s += Math.floor(Math.random() * 16).toString(16);
    return s;
  }

  // ------------------------------------------------------------------ header
  // [inference] header layout; the org shown at the top right is the "current org" the FAQ messages refer to.
  function buildHeader(h) {
    if (h.childElementCount) return;
    var org = h.getAttribute('data-org') || '演示科技有限公司';
    var user = h.getAttribute('data-user') || '管理员';
    var app = h.getAttribute('data-app') || '发票云';
    h.appendChild(el('div', { class: 'kd-cq-header-logo' }, [el('i'), '星瀚']));
    var nav = el('div', { class: 'kd-cq-header-nav _3xKq9Lw1' });
    ['基础服务云', '财务云', '发票云', '系统服务云'].forEach(function (n) {
      nav.appendChild(el('span', { class: n === app ? 'cur' : '', text: n }));
    });
    h.appendChild(nav);
    h.appendChild(el('div', { class: 'kd-cq-header-search', text: '搜索应用、功能' }));
    h.appendChild(el('div', { class: 'kd-cq-header-user zPG-NFNf', title: '切换组织' }, [
      el('span', { class: 'kd-cq-header-org', text: org }),
      el('span', { class: 'kd-cq-avatar', text: user.slice(0, 1) }),
      el('span', { text: user })
    ]));
  }

  // ------------------------------------------------------------------ tabs
  // Tab <li data-splitscreen-pageid="<prefix>_<formId>"> ↔ <div class="kd-cq-tabpage" data-pageid="same">.
  // The prefix is re-randomised on every load, as the real pageIds differ per session.
  function formIdOf(pageid) { var i = pageid.indexOf('_'); return i < 0 ? pageid : pageid.slice(i + 1); }

  function initTabs() {
    var ul = $('ul.kd-cq-tabs');
    if (!ul) return;
    var pages = $('.kd-cq-tabpages');
    if (!ul.hasAttribute('data-no-home') && !$('li[data-splitscreen-pageid$="_home"]', ul)) {
      var hid = 'x_home';
      ul.insertBefore(el('li', { class: 'kd-cq-tabs-tab kd-cq-tabs-home', 'data-splitscreen-pageid': hid, role: 'tab', text: '首页' }), ul.firstChild);
      var home = el('div', { class: 'kd-cq-tabpage hidden', 'data-pageid': hid, role: 'tabpanel' });
      var grid = el('div', { class: 'kd-cq-home' });
      [['发票云', '开票、收票、数电配置'], ['财务云', '费用核算、应付'], ['基础服务云', '企业建模、人员管理'], ['系统服务云', '基础资料、安全管理']].forEach(function (c) {
        grid.appendChild(el('div', { class: 'kd-cq-home-card' }, [el('b', { text: c[0] }), c[1]]));
      });
      home.appendChild(grid);
      pages.insertBefore(home, pages.firstChild);
    }
    $all('li.kd-cq-tabs-tab', ul).forEach(function (li) {
      var old = li.getAttribute('data-splitscreen-pageid');
      var fresh = randHex(10) + '_' + formIdOf(old);
      li.setAttribute('data-splitscreen-pageid', fresh);
      li.setAttribute('role', 'tab');
      var page = $('.kd-cq-tabpage[data-pageid="' + old + '"]', pages);
      if (page) page.setAttribute('data-pageid', fresh);
      if (!li.classList.contains('kd-cq-tabs-home') && !$('.kd-cq-tabs-close', li)) {
        li.appendChild(el('span', { class: 'kd-cq-tabs-close', title: '关闭', text: '×' }));
      }
    });
    ul.addEventListener('click', function (ev) {
      var li = ev.target.closest('li.kd-cq-tabs-tab');
      if (!li) return;
      if (ev.target.classList.contains('kd-cq-tabs-close')) { closeTab(li); return; }
      activateTab(li);
    });
    var act = $('li.kd-cq-tabs-tab.active', ul) || $('li.kd-cq-tabs-tab', ul);
    activateTab(act);
  }

  function activateTab(li) {
    if (!li) return;
    var ul = li.parentNode;
    closeDropdowns();
    $all('li.kd-cq-tabs-tab', ul).forEach(function (t) {
      var on = t === li;
      t.classList.toggle('active', on);
      t.classList.toggle('kd-cq-tabs-tab-active', on);
      t.setAttribute('aria-selected', on ? 'true' : 'false');
    });
    var id = li.getAttribute('data-splitscreen-pageid');
    $all('.kd-cq-tabpages > .kd-cq-tabpage').forEach(function (p) {
      p.classList.toggle('hidden', p.getAttribute('data-pageid') !== id);
    });
  }
  KD.activateTab = function (formId) {
    activateTab($('li.kd-cq-tabs-tab[data-splitscreen-pageid$="_' + formId + '"]'));
  };

  function closeTab(li) {
    var id = li.getAttribute('data-splitscreen-pageid');
    var wasActive = li.classList.contains('active');
    var prev = li.previousElementSibling || li.nextElementSibling;
    var page = $('.kd-cq-tabpage[data-pageid="' + id + '"]');
    li.remove();
    if (page) page.remove();
    if (wasActive) activateTab(prev);
  }

  // ------------------------------------------------------------------ combos
  // <div class="kd-cq-combo" data-options="是|否"><span class="kd-cq-combo-selected">否</span></div>
  // The menu is a portal under <body>: <div class="kd-cq-dropdown"><ul class="kd-cq-dropdown-menu">
  // <li class="kd-cq-dropdown-menu-item">…</li></ul></div>. Choosing an item updates .kd-cq-combo-selected
  // (text + title), sets data-value on the combo and fires a bubbling `change` event on the combo.
  var openMenu = null;
  function closeDropdowns() {
    if (openMenu) {
      openMenu.menu.remove();
      if (openMenu.owner) { openMenu.owner.classList.remove('kd-cq-combo-open'); openMenu.owner.setAttribute('aria-expanded', 'false'); }
      openMenu = null;
    }
  }
  KD.closeDropdowns = closeDropdowns;

  function openDropdown(owner, items, current, onPick) {
    closeDropdowns();
    var r = owner.getBoundingClientRect();
    var menu = el('div', { class: 'kd-cq-dropdown _1cYp3mTz' });
    var ul = el('ul', { class: 'kd-cq-dropdown-menu', role: 'listbox' });
    items.forEach(function (it) {
      var li = el('li', { class: 'kd-cq-dropdown-menu-item' + (it === current ? ' kd-cq-dropdown-menu-item-selected' : ''), role: 'option', title: it, text: it });
      li.addEventListener('mousedown', function (ev) { ev.preventDefault(); });
      li.addEventListener('click', function (ev) { ev.stopPropagation(); closeDropdowns(); onPick(it); });
      ul.appendChild(li);
    });
    menu.appendChild(ul);
    menu.style.left = (r.left + window.scrollX) + 'px';
    menu.style.top = (r.bottom + window.scrollY + 2) + 'px';
    menu.style.minWidth = r.width + 'px';
    document.body.appendChild(menu);
    owner.classList.add('kd-cq-combo-open');
    owner.setAttribute('aria-expanded', 'true');
    openMenu = { menu: menu, owner: owner };
    return menu;
  }

  function comboOptions(combo) {
    return (combo.getAttribute('data-options') || '').split('|').filter(function (s) { return s !== ''; });
  }
  function setCombo(combo, value, silent) {
    var sel = $('.kd-cq-combo-selected', combo);
    sel.textContent = value;
    sel.setAttribute('title', value);
    combo.setAttribute('data-value', value);
    if (!silent) combo.dispatchEvent(new Event('change', { bubbles: true }));
  }
  KD.setCombo = setCombo;

  document.addEventListener('click', function (ev) {
    var combo = ev.target.closest('.kd-cq-combo');
    if (combo) {
      if (openMenu && openMenu.owner === combo) { closeDropdowns(); return; }
      if (combo.hasAttribute('data-disabled')) return;
      openDropdown(combo, comboOptions(combo), $('.kd-cq-combo-selected', combo).textContent, function (v) { setCombo(combo, v); combo.focus(); });
      return;
    }
    var dd = ev.target.closest('.kd-cq-toolbar-dropdown > .kd-cq-btn');
    if (dd) {
      var wrap = dd.parentNode;
      if (openMenu && openMenu.owner === wrap) { closeDropdowns(); return; }
      openDropdown(wrap, (wrap.getAttribute('data-menu') || '').split('|'), null, function (v) {
        wrap.dispatchEvent(new CustomEvent('kdcq:menu', { bubbles: true, detail: v }));
      });
      return;
    }
    if (!ev.target.closest('.kd-cq-dropdown')) closeDropdowns();
  });
  document.addEventListener('keydown', function (ev) {
    if (ev.key === 'Escape') { closeDropdowns(); return; }
    var combo = ev.target.closest && ev.target.closest('.kd-cq-combo');
    if (combo && (ev.key === 'Enter' || ev.key === ' ' || ev.key === 'ArrowDown')) {
      ev.preventDefault();
      combo.click();
    }
  });
  window.addEventListener('resize', closeDropdowns);
  document.addEventListener('scroll', function (ev) { if (!(ev.target.closest && ev.target.closest('.kd-cq-dropdown'))) closeDropdowns(); }, true);

  // ------------------------------------------------------------------ field helpers
  // Normalised label: without required "*", trailing ":"/"：", spaces; lower-case (so ClientID = Client id).
  function normLabel(s) { return (s || '').replace(/[*＊:：\s]/g, '').toLowerCase(); }
  KD.normLabel = normLabel;
  KD.findField = function (root, label) {
    var want = normLabel(label);
    return $all('[data-field-item="true"]', root).filter(function (f) {
      var span = $('.kd-cq-field-title-wrap span:not(.kd-cq-field-required)', f);
      return span && normLabel(span.textContent) === want;
    })[0] || null;
  };
  KD.fieldValue = function (root, label) {
    var f = KD.findField(root, label);
    if (!f) return '';
    var inp = $('.kd-cq-field-value-wrap input:not([type="checkbox"]), .kd-cq-field-value-wrap textarea', f);
    if (inp) return inp.value;
    var c = $('.kd-cq-combo-selected', f);
    return c ? c.textContent : '';
  };
  KD.setFieldValue = function (root, label, value) {
    var f = KD.findField(root, label);
    if (!f) return;
    var inp = $('.kd-cq-field-value-wrap input:not([type="checkbox"]), .kd-cq-field-value-wrap textarea', f);
    if (inp) { inp.value = value; return; }
    var c = $('.kd-cq-combo', f);
    if (c) setCombo(c, value, true);
  };

  // Builds field markup identical to the static pages (used by late-render / rerender / dialogs).
  // spec: {label, type: text|password|textarea|combo|checkboxes, required, value, options:[…], id, readonly, title}
  KD.field = function (spec) {
    var title = el('div', { class: 'kd-cq-field-title-wrap', title: spec.title || spec.label });
    if (spec.required) title.appendChild(el('i', { class: 'kd-cq-field-required', text: '*' }));
    title.appendChild(el('span', { text: spec.label }));
    var wrap = el('div', { class: 'kd-cq-field-value-wrap' });
    var t = spec.type || 'text';
    if (t === 'combo') {
      var combo = el('div', { class: 'kd-cq-combo', tabindex: '0', role: 'combobox', 'aria-expanded': 'false', 'data-options': (spec.options || []).join('|'), 'data-value': spec.value || '' },
        [el('span', { class: 'kd-cq-combo-selected', title: spec.value || '', text: spec.value || '' })]);
      wrap.appendChild(combo);
    } else if (t === 'textarea') {
      var ta = el('textarea', { class: 'kd-cq-textarea', readonly: spec.readonly });
      ta.value = spec.value || '';
      wrap.appendChild(ta);
    } else if (t === 'checkboxes') {
      var g = el('div', { class: 'kd-cq-checkbox-group' });
      (spec.options || []).forEach(function (o) {
        var cb = el('input', { type: 'checkbox' });
        cb.checked = (spec.checked || []).indexOf(o) >= 0;
        g.appendChild(el('label', { class: 'kd-cq-checkbox' }, [cb, el('span', { class: 'kd-cq-checkbox-label', text: o })]));
      });
      wrap.appendChild(g);
    } else {
      var inp = el('input', { type: t === 'password' ? 'password' : 'text', class: 'kd-cq-input', autocomplete: t === 'password' ? 'new-password' : 'off', readonly: spec.readonly });
      inp.value = spec.value || '';
      wrap.appendChild(inp);
    }
    return el('div', { class: 'kd-cq-field kd-cq-control' + (spec.extraClass ? ' ' + spec.extraClass : ''), 'data-field-item': 'true', id: spec.id }, [title, wrap]);
  };

  // ------------------------------------------------------------------ dialogs
  // <template id="dlg_x"> holds <div class="kd-cq-modal-root"> <div class="kd-cq-modal-mask"> <div class="kd-cq-modal" role="dialog">
  //   <div class="kd-cq-modal-header"><div class="kd-cq-modal-title">…</div><button class="kd-cq-modal-close">
  //   <div class="kd-cq-modal-body">…  <div class="kd-cq-modal-footer">…
  // Opening clones it into <body>; closing removes it. [inference]
  KD.openDialog = function (tplId, opts) {
    opts = opts || {};
    var tpl = document.getElementById(tplId);
    var root = tpl.content.firstElementChild.cloneNode(true);
    var modal = $('.kd-cq-modal', root);
    if (opts.title) $('.kd-cq-modal-title', root).textContent = opts.title;
    modal.setAttribute('data-dialog-pageid', randHex(10) + '_' + (modal.getAttribute('data-form-id') || tplId));
    document.body.appendChild(root);
    if (opts.fill) opts.fill(root);
    centerModal(modal);
    var first = $('input:not([readonly]):not([type="checkbox"]), textarea, .kd-cq-combo', modal);
    if (first && !opts.noFocus) first.focus();
    return root;
  };
  KD.closeDialog = function (node) {
    var root = node.closest('.kd-cq-modal-root');
    if (root) { closeDropdowns(); root.remove(); root.dispatchEvent(new Event('kdcq:closed')); }
  };
  function centerModal(modal) {
    var w = modal.offsetWidth, h = modal.offsetHeight;
    modal.style.left = Math.max(10, (window.innerWidth - w) / 2) + 'px';
    modal.style.top = Math.max(10, (window.innerHeight - h) / 2.6) + 'px';
  }
  document.addEventListener('click', function (ev) {
    var opener = ev.target.closest('[data-open-dialog]');
    if (opener) { KD.openDialog(opener.getAttribute('data-open-dialog')); return; }
    var closer = ev.target.closest('.kd-cq-modal-close, [data-dialog-close]');
    if (closer) KD.closeDialog(closer);
  });
  // draggable header
  document.addEventListener('mousedown', function (ev) {
    var head = ev.target.closest('.kd-cq-modal-header');
    if (!head || ev.target.closest('.kd-cq-modal-close')) return;
    var modal = head.closest('.kd-cq-modal');
    var sx = ev.clientX, sy = ev.clientY, ox = modal.offsetLeft, oy = modal.offsetTop;
    function mv(e) { modal.style.left = (ox + e.clientX - sx) + 'px'; modal.style.top = Math.max(0, oy + e.clientY - sy) + 'px'; }
    function up() { document.removeEventListener('mousemove', mv); document.removeEventListener('mouseup', up); }
    document.addEventListener('mousemove', mv);
    document.addEventListener('mouseup', up);
    ev.preventDefault();
  });

  // message box: a small dialog showing a console message (e.g. 非法的客户id) with 确定.
  KD.showMessageBox = function (text, type) {
    var root = el('div', { class: 'kd-cq-modal-root' }, [el('div', { class: 'kd-cq-modal-mask' })]);
    var modal = el('div', { class: 'kd-cq-modal kd-cq-msgbox', role: 'dialog', 'aria-modal': 'true' }, [
      el('div', { class: 'kd-cq-modal-header' }, [el('div', { class: 'kd-cq-modal-title', text: '提示' }), el('button', { class: 'kd-cq-modal-close', type: 'button', 'aria-label': '关闭', text: '×' })]),
      el('div', { class: 'kd-cq-modal-body' }, [el('div', { class: 'kd-cq-msgbox-body' }, [el('span', { class: 'kd-cq-msgbox-icon ' + (type || 'warning'), text: '!' }), el('span', { class: 'kd-cq-msgbox-content', text: text })])]),
      el('div', { class: 'kd-cq-modal-footer' }, [el('button', { class: 'kd-cq-btn kd-cq-btn-primary', type: 'button', 'data-dialog-close': '', text: '确定' })])
    ]);
    root.appendChild(modal);
    document.body.appendChild(root);
    centerModal(modal);
    return root;
  };

  // ------------------------------------------------------------------ toasts & notifications
  // <div class="kd-cq-message"><div class="kd-cq-message-notice kd-cq-message-error" role="alert">
  //   <span class="kd-cq-message-icon">!</span><span class="kd-cq-message-content">text</span></div></div>
  function showToast(text, type, duration) {
    type = type || 'info';
    var box = $('body > .kd-cq-message');
    if (!box) { box = el('div', { class: 'kd-cq-message' }); document.body.appendChild(box); }
    var icon = { success: '✓', error: '!', warning: '!', info: 'i' }[type] || 'i';
    var n = el('div', { class: 'kd-cq-message-notice kd-cq-message-' + type, role: 'alert' }, [
      el('span', { class: 'kd-cq-message-icon', text: icon }),
      el('span', { class: 'kd-cq-message-content', text: text })
    ]);
    box.appendChild(n);
    setTimeout(function () { n.remove(); if (!box.childElementCount) box.remove(); }, duration || 3000);
    return n;
  }
  window.showToast = KD.showToast = showToast;

  // <div class="kd-cq-notification"><div class="kd-cq-notification-notice kd-cq-notification-<type>">
  //   <div class="kd-cq-notification-notice-message">title</div><div class="kd-cq-notification-notice-description">text</div>
  KD.showNotification = function (title, text, type, duration) {
    var box = $('body > .kd-cq-notification');
    if (!box) { box = el('div', { class: 'kd-cq-notification' }); document.body.appendChild(box); }
    var n = el('div', { class: 'kd-cq-notification-notice kd-cq-notification-' + (type || 'error'), role: 'alert' }, [
      el('button', { class: 'kd-cq-notification-notice-close', type: 'button', text: '×' }),
      el('div', { class: 'kd-cq-notification-notice-message', text: title || '提示' }),
      el('div', { class: 'kd-cq-notification-notice-description', text: text })
    ]);
    $('button', n).addEventListener('click', function () { n.remove(); });
    box.appendChild(n);
    setTimeout(function () { n.remove(); if (!box.childElementCount) box.remove(); }, duration || 4500);
    return n;
  };

  // ------------------------------------------------------------------ grids
  // header checkbox (select all) for grids with a check column
  document.addEventListener('change', function (ev) {
    var t = ev.target;
    if (t.matches && t.matches('.kd-table th .kd-table-check-all')) {
      var table = t.closest('table');
      $all('tbody .kd-table-cell-check input[type="checkbox"]', table).forEach(function (c) { c.checked = t.checked; });
    }
  });
  KD.checkedRows = function (container) {
    return $all('tbody tr', container).filter(function (tr) { var c = $('.kd-table-cell-check input', tr); return c && c.checked; });
  };
  KD.cellText = function (tr, header) {
    var table = tr.closest('table');
    var idx = $all('thead th', table).findIndex(function (th) { var t = $('.kd-table-header-title', th); return t && t.textContent.trim() === header; });
    return idx < 0 ? '' : tr.children[idx].textContent.trim();
  };

  // ------------------------------------------------------------------ 发票云授权配置: 连接测试
  // [inference] The real 连接测试 runs on the ERP server, which calls Piaozone. The replica decides locally:
  //   empty Client id → 应用id不能为空; url not an official host/path nor 127.0.0.1 → 与发票云建立连接失败！;
  //   Client id starting with TN_ (tenant id) → 非法的客户id; otherwise 测试通过.
  KD.OFFICIAL_URLS = ['https://api.piaozone.com', 'https://api-dev.piaozone.com/test'];
  KD.authConnectTest = function (root) {
    var url = KD.fieldValue(root, 'url').trim();
    var cid = KD.fieldValue(root, 'Client id').trim();
    if (!cid) return { ok: false, msg: '应用id不能为空' };
    var u = url.replace(/\/+$/, '');
    var local = /^(https?:\/\/)?127\.0\.0\.1(:\d+)?(\/.*)?$/.test(url);
    if (KD.OFFICIAL_URLS.indexOf(u) < 0 && !local) return { ok: false, msg: '与发票云建立连接失败！' };
    if (/^TN_/i.test(cid)) return { ok: false, msg: '非法的客户id' };
    return { ok: true, msg: '测试通过' };
  };
  KD.bindAuthToolbar = function (root) {
    var save = $('#bar_save', root), test = $('#btn_connecttest', root);
    if (save) save.addEventListener('click', function () { showToast('保存成功', 'success'); });
    if (test) test.addEventListener('click', function () {
      var r = KD.authConnectTest(root);
      showToast(r.msg, r.ok ? 'success' : 'error');
    });
  };

  // ------------------------------------------------------------------ boot
  function boot() {
    $all('.kd-cq-header').forEach(buildHeader);
    initTabs();
    document.dispatchEvent(new Event('kdcq:ready'));
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', boot);
  else boot();
})();
