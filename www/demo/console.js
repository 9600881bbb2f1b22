/*
 * Replica of the Kingdee 星瀚 (Cosmic) console behaviours for the piaozone-assist demo pages.
 * Plain DOM, no framework, no external resources. Everything below is the replica's own behaviour;
 * the page never depends on anything a browser extension adds.
 *
 * The console shell is written ONCE, here. A page file holds only its own content:
 *   <body data-org="演示科技有限公司" data-app="发票云">
 *   <template data-tab="发票云授权配置" data-form-id="demo_invoicecloud_authconfig" data-active
 *             data-breadcrumb="…" data-required="after|inline|lead|before" data-suffix="："> toolbar, fieldsets </template>
 *   <template id="dlg_…"> dialogs </template>
 *   <script src="console.js"></script><script>page behaviour</script>
 * Inside a template, <kd-field key label type required locked value options checked tips span suffix></kd-field>
 * expands into a field and <kd-bar id primary dialog menu>保存</kd-bar> into a toolbar item (see KD.field /
 * barItem). <body data-bare> (a frame document) gets the forms without the console chrome; <body data-no-home>
 * gets no 首页 tab; a template with data-no-head gets no form title. The shell is built synchronously when this script runs (it is the last thing in <body>),
 * so the page's own script and a content script both find the final DOM.
 *
 * Markup built here, from public code that runs against LIVE consoles (reference/cosmic-dom-evidence.md):
 *   root           <div id="kd-theme" class="kd-cq-root">                                  (fixDarkModeStyle.js)
 *   tab control    <div id="tabap" class="kd-cq-tabs">, tabs .kd-cq-tabs-tab, one
 *                  li[data-splitscreen-pageid$="<formId>"] per open page                    (clawcheck)
 *   visible form   #tabap > .kd-cq-tab-panel > [data-tab-hidden="false"] > .kd-cq-form      (fixDarkModeStyle.js)
 *   form           data-form-id="<formId>", id = data-page-id = the pageId                   (fixDarkModeStyle.js, custom-control sample)
 *   field          <div class="kd-cq-field kd-cq-<type>" id="<key>" data-page-id="<pageId>_<key>" data-field-item="true">
 *                  .kd-cq-field-title-wrap span (label, then "*" when required), .kd-cq-field-value-wrap with
 *                  input[type=text].kd-cq-input | textarea.kd-input-textarea | .kd-cq-combo-selected
 *   locked field   .field-in-lock on the value wrap, .kd-cq-input.lock-with-no-value when empty
 *   toolbar        <div>s, not <button>s: #bar_save, #bar_new, #bar_submit, #tblnew, [data-baritem-show-type="1"] .kd-cq-btn
 *   dialogs        #dialogShow, buttons [data-btn-key="btnok"]                                (clawcheck)
 *   grids          .kd-table-container, th .kd-table-header-title, td[data-code="<key>"]
 * [inference] everything else: the nav wrapper .kd-cq-tabs-nav > ul.kd-cq-tabs-nav-list, the active-tab classes
 * (kd-cq-tabs-tab-active + aria-selected), pageIds as 10 random hex digits (new on every load, as real pageIds
 * differ per session; real ones are probably longer), the tab's data-splitscreen-pageid = "<pageId>_<formId>",
 * the field type classes kd-cq-text / kd-cq-combo / kd-cq-checkbox, the "*" as its own span
 * (.kd-cq-field-required), the toolbar item's class kd-cq-baritem and inner span, #dialogShow on the .kd-cq-modal
 * itself, data-btn-key="btncancel", combo dropdowns rendered as a portal under <body>, dialogs cloned from
 * <template> into <body> on open and removed on close (React portal style), toast/notification markup
 * (antd-like kd-cq-message / kd-cq-notification).
 *
 * The OLDER shell (ul.kd-cq-tabs + .kd-cq-tabpages > .kd-cq-tabpage with `hidden`, tab <li> ↔ tabpage by
 * data-pageid) is still run as it was, for auth-config-legacy.html and the bench pages xtask writes.
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
  KD.newPageId = function () { return randHex(10); };

  // The interactive combo box. `.kd-cq-combo` is also the TYPE class of a combo field's container
  // (kd-cq-field kd-cq-combo), so the box is the .kd-cq-combo that is not a field.
  var COMBO = '.kd-cq-combo:not(.kd-cq-field)';
  // The visible form of the evidenced shell, else the shown tab page of the older shell.
  var VISIBLE_FORM = '#tabap > .kd-cq-tab-panel > [data-tab-hidden="false"] > .kd-cq-form';
  KD.visibleForm = function () {
    return $(VISIBLE_FORM) || $('.kd-cq-tabpages > .kd-cq-tabpage:not(.hidden)') || $('body > .kd-cq-form') || $('.kd-cq-tabpage');
  };
  // The form (new shell) or tab page (older shell) of a formId.
  KD.page = function (formId) {
    return $('.kd-cq-form[data-form-id="' + formId + '"]') || $('.kd-cq-tabpage[data-pageid$="_' + formId + '"]');
  };
  // The pageId a field inside `node` belongs to: its form's, or its dialog's.
  function pageIdOf(node) {
    var host = node && node.closest && node.closest('.kd-cq-form[data-page-id], .kd-cq-modal[data-page-id]');
    return host ? host.getAttribute('data-page-id') : '';
  }
  KD.pageIdOf = pageIdOf;

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

  function homeGrid() {
    var grid = el('div', { class: 'kd-cq-home' });
    [['发票云', '开票、收票、数电配置'], ['财务云', '费用核算、应付'], ['基础服务云', '企业建模、人员管理'], ['系统服务云', '基础资料、安全管理']].forEach(function (c) {
      grid.appendChild(el('div', { class: 'kd-cq-home-card' }, [el('b', { text: c[0] }), c[1]]));
    });
    return grid;
  }

  // ------------------------------------------------------------------ evidenced shell (written once)
  // <div id="kd-theme" class="kd-cq-root">
  //   <header class="kd-cq-header">…</header>
  //   <div id="tabap" class="kd-cq-tabs">
  //     <div class="kd-cq-tabs-nav"><ul class="kd-cq-tabs-nav-list">
  //       <li class="kd-cq-tabs-tab" data-splitscreen-pageid="<pageId>_<formId>">title<span class="kd-cq-tabs-close">×</span></li>…
  //     <div class="kd-cq-tab-panel">
  //       <div data-tab-hidden="false"><div class="kd-cq-form" data-form-id="<formId>" id="<pageId>" data-page-id="<pageId>">…
  //       <div data-tab-hidden="true">…
  function buildShell() {
    var body = document.body;
    var tpls = $all('template[data-form-id]', body).filter(function (t) { return t.parentNode === body; });
    if (!tpls.length) return false;
    var anchor = body.firstChild;
    if (body.hasAttribute('data-bare')) {
      // A frame document: its form only, no console chrome.
      tpls.forEach(function (t) { body.insertBefore(buildForm(t, t.content.cloneNode(true)), anchor); t.remove(); });
      return true;
    }
    var root = el('div', { id: 'kd-theme', class: 'kd-cq-root' });
    var header = el('header', { class: 'kd-cq-header', 'data-org': body.getAttribute('data-org'), 'data-app': body.getAttribute('data-app'), 'data-user': body.getAttribute('data-user') });
    buildHeader(header);
    var ul = el('ul', { class: 'kd-cq-tabs-nav-list', role: 'tablist' });
    var panel = el('div', { class: 'kd-cq-tab-panel' });
    var tabs = el('div', { id: 'tabap', class: 'kd-cq-tabs' }, [el('div', { class: 'kd-cq-tabs-nav _7pQmZr2c' }, [ul]), panel]);
    root.appendChild(header);
    root.appendChild(tabs);
    var active = null;
    if (!body.hasAttribute('data-no-home')) {
      var home = el('template', { 'data-tab': '首页', 'data-form-id': 'home_page', 'data-home': '' });
      addPage(ul, panel, home, homeGrid());
    }
    tpls.forEach(function (t) {
      var li = addPage(ul, panel, t, t.content.cloneNode(true));
      if (t.hasAttribute('data-active') || !active) active = t.hasAttribute('data-active') ? li : (active || li);
      t.remove();
    });
    body.insertBefore(root, anchor);
    bindTabStrip(ul);
    activateTab(active);
    return true;
  }

  function bindTabStrip(ul) {
    ul.addEventListener('click', function (ev) {
      var li = ev.target.closest('li.kd-cq-tabs-tab');
      if (!li) return;
      if (ev.target.classList.contains('kd-cq-tabs-close')) { closeTab(li); return; }
      activateTab(li);
    });
  }

  // A page written in the evidenced shell as static markup (the bench's generated pages): its tabs
  // only need their clicks.
  function initStaticShell() {
    var ul = $('#tabap > .kd-cq-tabs-nav > ul');
    if (ul) bindTabStrip(ul);
  }

  // The form of a page template: head (title, breadcrumb), then the template's content with its
  // <kd-field>/<kd-bar> declarations expanded for this pageId.
  function buildForm(t, content) {
    var pid = randHex(10);
    var formId = t.getAttribute('data-form-id');
    var form = el('div', { class: 'kd-cq-form _2QHPFSVv', 'data-form-id': formId, id: pid, 'data-page-id': pid });
    if (!t.hasAttribute('data-home') && !t.hasAttribute('data-no-head')) {
      form.appendChild(el('div', { class: 'kd-cq-form-head' }, [
        el('span', { class: 'kd-cq-form-title', text: t.getAttribute('data-title') || t.getAttribute('data-tab') || '' }),
        t.getAttribute('data-breadcrumb') ? el('span', { class: 'kd-cq-breadcrumb', text: t.getAttribute('data-breadcrumb') }) : null
      ]));
    } else if (t.hasAttribute('data-home')) {
      form.classList.add('kd-cq-home-form');
    }
    form.appendChild(content);
    expand(form, pid, { required: t.getAttribute('data-required'), suffix: t.getAttribute('data-suffix') });
    return form;
  }

  function addPage(ul, panel, t, content) {
    var form = buildForm(t, content);
    var formId = form.getAttribute('data-form-id');
    var li = el('li', { class: 'kd-cq-tabs-tab' + (t.hasAttribute('data-home') ? ' kd-cq-tabs-home' : ''), 'data-splitscreen-pageid': form.id + '_' + formId, role: 'tab', 'aria-selected': 'false' },
      [t.getAttribute('data-tab') || '']);
    if (!t.hasAttribute('data-home')) li.appendChild(el('span', { class: 'kd-cq-tabs-close', title: '关闭', text: '×' }));
    ul.appendChild(li);
    panel.appendChild(el('div', { 'data-tab-hidden': 'true' }, [form]));
    return li;
  }

  // <kd-field …> → KD.field(…); <kd-bar …> → toolbar item; tables with data-columns get td[data-code].
  function expand(scope, pid, defaults) {
    defaults = defaults || {};
    $all('kd-field', scope).forEach(function (d) {
      var a = function (n) { return d.getAttribute(n); };
      var list = function (n) { return a(n) === null ? undefined : a(n).split('|').filter(function (s) { return s !== ''; }); };
      var req = a('required');
      var spec = {
        key: a('key'), label: a('label'), type: a('type') || 'text', value: a('value') || '',
        required: req === null ? false : (req || defaults.required || 'after'),
        suffix: a('suffix') !== null ? a('suffix') : (defaults.suffix || ''),
        locked: d.hasAttribute('locked'), readonly: d.hasAttribute('readonly'), options: list('options'), checked: list('checked'),
        tips: a('tips'), extraClass: [a('span') === 'all' ? 'span-all' : '', a('class') || ''].join(' ').trim(), title: a('title'),
        search: d.hasAttribute('search')
      };
      d.replaceWith(KD.field(spec, pid));
    });
    $all('kd-bar', scope).forEach(function (d) { d.replaceWith(barItem(d)); });
    $all('table[data-columns]', scope).forEach(KD.codeRows);
  }
  KD.expand = function (scope) { expand(scope, pageIdOf(scope) || pageIdOf(scope.firstElementChild)); };

  // Toolbar item: <div id="bar_save" class="kd-cq-baritem" data-baritem-show-type="1"><span class="kd-cq-btn">保存</span></div>
  // (divs: evidenced; the item class and the inner span: [inference]). primary → kd-cq-btn-primary;
  // dialog="dlg_x" → data-open-dialog; menu="a|b" → a dropdown item (更多). Other attributes are copied.
  function barItem(d) {
    var menu = d.getAttribute('menu');
    var item = el('div', { class: 'kd-cq-baritem' + (menu ? ' kd-cq-toolbar-dropdown' : ''), 'data-baritem-show-type': '1', tabindex: '0' });
    Array.prototype.forEach.call(d.attributes, function (at) {
      if (at.name === 'primary' || at.name === 'menu' || at.name === 'dialog') return;
      if (at.name === 'class') item.className += ' ' + at.value; else item.setAttribute(at.name, at.value);
    });
    if (menu) item.setAttribute('data-menu', menu);
    if (d.getAttribute('dialog')) item.setAttribute('data-open-dialog', d.getAttribute('dialog'));
    item.appendChild(el('span', { class: 'kd-cq-btn' + (d.hasAttribute('primary') ? ' kd-cq-btn-primary' : ''), text: d.textContent.trim() }));
    return item;
  }
  KD.barItem = function (id, text, primary) {
    var d = el('kd-bar', { id: id, primary: !!primary }); d.textContent = text; return barItem(d);
  };
  // [inference] toolbar items take Enter/Space like buttons.
  document.addEventListener('keydown', function (ev) {
    var t = ev.target;
    if ((ev.key === 'Enter' || ev.key === ' ') && t.classList && t.classList.contains('kd-cq-baritem')) { ev.preventDefault(); t.click(); }
  });

  // Grid cells: td[data-code="<key>"] (evidenced), from <table data-columns="key1|key2|…"> (one key per
  // column, "" for the check column). Call again after adding rows.
  KD.codeRows = function (table) {
    var cols = (table.getAttribute('data-columns') || '').split('|');
    $all('tbody tr', table).forEach(function (tr) {
      Array.prototype.forEach.call(tr.children, function (td, i) { if (cols[i]) td.setAttribute('data-code', cols[i]); });
    });
  };

  // ------------------------------------------------------------------ tabs
  // Evidenced shell: li ↔ the panel child holding .kd-cq-form#<pageId> (pageId = the li's
  // data-splitscreen-pageid minus "_<formId>"). Older shell: tab <li data-splitscreen-pageid="<prefix>_<formId>">
  // ↔ <div class="kd-cq-tabpage" data-pageid="same">, prefix re-randomised on every load.
  function formIdOf(pageid) { var i = pageid.indexOf('_'); return i < 0 ? pageid : pageid.slice(i + 1); }
  function isNewTab(li) { return !!li.closest('#tabap'); }
  function panelOf(li) {
    var id = li.getAttribute('data-splitscreen-pageid');
    if (isNewTab(li)) {
      var form = $('#tabap > .kd-cq-tab-panel > [data-tab-hidden] > .kd-cq-form[id="' + id.slice(0, id.indexOf('_')) + '"]');
      return form ? form.parentNode : null;
    }
    return $('.kd-cq-tabpage[data-pageid="' + id + '"]');
  }

  function initTabs() {
    var ul = $('ul.kd-cq-tabs');
    if (!ul) return;
    var pages = $('.kd-cq-tabpages');
    if (!ul.hasAttribute('data-no-home') && !$('li[data-splitscreen-pageid$="_home"]', ul)) {
      var hid = 'x_home';
      ul.insertBefore(el('li', { class: 'kd-cq-tabs-tab kd-cq-tabs-home', 'data-splitscreen-pageid': hid, role: 'tab', text: '首页' }), ul.firstChild);
      var home = el('div', { class: 'kd-cq-tabpage hidden', 'data-pageid': hid, role: 'tabpanel' });
      home.appendChild(homeGrid());
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
    if (isNewTab(li)) {
      var shown = panelOf(li);
      $all('#tabap > .kd-cq-tab-panel > [data-tab-hidden]').forEach(function (p) {
        p.setAttribute('data-tab-hidden', p === shown ? 'false' : 'true');
      });
      return;
    }
    var id = li.getAttribute('data-splitscreen-pageid');
    $all('.kd-cq-tabpages > .kd-cq-tabpage').forEach(function (p) {
      p.classList.toggle('hidden', p.getAttribute('data-pageid') !== id);
    });
  }
  KD.activateTab = function (formId) {
    activateTab($('li.kd-cq-tabs-tab[data-splitscreen-pageid$="_' + formId + '"]'));
  };

  function closeTab(li) {
    var wasActive = li.classList.contains('active');
    var prev = li.previousElementSibling || li.nextElementSibling;
    var page = panelOf(li);
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
    var combo = ev.target.closest(COMBO);
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
    var combo = ev.target.closest && ev.target.closest(COMBO);
    if (combo && (ev.key === 'Enter' || ev.key === ' ' || ev.key === 'ArrowDown')) {
      ev.preventDefault();
      combo.click();
    }
  });
  window.addEventListener('resize', closeDropdowns);
  document.addEventListener('scroll', function (ev) { if (!(ev.target.closest && ev.target.closest('.kd-cq-dropdown'))) closeDropdowns(); }, true);

  // ------------------------------------------------------------------ field helpers (both shapes)
  // Normalised label: without the required "*" (before or after), trailing ":"/"：", spaces; lower-case
  // (so ClientID = Client id = "Client id*" = "*Client id：").
  function normLabel(s) { return (s || '').replace(/[*＊:：\s]/g, '').toLowerCase(); }
  KD.normLabel = normLabel;
  function titleText(f) { var t = $('.kd-cq-field-title-wrap', f); return t ? t.textContent : ''; }
  // A field by its label (either shape), else by its key (the element id of the evidenced shape).
  KD.findField = function (root, labelOrKey) {
    var want = normLabel(labelOrKey);
    var items = $all('[data-field-item="true"]', root);
    return items.filter(function (f) { return normLabel(titleText(f)) === want; })[0]
      || items.filter(function (f) { return f.id === labelOrKey; })[0] || null;
  };
  function valueInput(f) { return $('.kd-cq-field-value-wrap input:not([type="checkbox"]):not([type="radio"]), .kd-cq-field-value-wrap textarea', f); }
  KD.fieldValue = function (root, label) {
    var f = KD.findField(root, label);
    if (!f) return '';
    var inp = valueInput(f);
    if (inp) return inp.value;
    var c = $('.kd-cq-combo-selected', f);
    if (c) return c.textContent;
    var r = $('input[type="radio"]:checked', f);
    return r ? r.parentNode.textContent.trim() : '';
  };
  KD.setFieldValue = function (root, label, value) {
    var f = KD.findField(root, label);
    if (!f) return;
    var inp = valueInput(f);
    if (inp) {
      inp.value = value;
      if (inp.closest('.field-in-lock') && inp.classList.contains('kd-cq-input')) inp.classList.toggle('lock-with-no-value', !value);
      return;
    }
    var c = $(COMBO, f);
    if (c) { setCombo(c, value, true); return; }
    $all('input[type="radio"]', f).forEach(function (r) { r.checked = r.parentNode.textContent.trim() === value; });
  };

  // A field in the evidenced markup (used by the <kd-field> declarations and by pages that render late):
  //   <div class="kd-cq-field kd-cq-<type>" id="<key>" data-page-id="<pageId>_<key>" data-field-item="true">
  //     <div class="kd-cq-field-title-wrap"><span>LABEL</span><span class="kd-cq-field-required">*</span></div>
  //     <div class="kd-cq-field-value-wrap [field-in-lock]"> input.kd-cq-input | textarea.kd-input-textarea | combo …
  // spec: {key, label, type: text|password|textarea|combo|basedata|checkbox|checkboxes|radio, value, options:[…],
  //        checked:[…], required: true|'after'|'inline'|'lead'|'before', suffix ('：'), locked, readonly, tips, extraClass, title}
  // where: the pageId, or a node inside the form/dialog the field goes into.
  // required: after = "<span>label</span><span>*</span>" (evidenced: title text = label + "*"); inline = "<span>label*</span>";
  // lead = "<span>*label</span>"; before = "<i>*</i><span>label</span>" (the older replica shape).
  KD.field = function (spec, where) {
    var pid = typeof where === 'string' ? where : pageIdOf(where);
    var t = spec.type || 'text';
    var label = (spec.label || '') + (spec.suffix || '');
    var req = spec.required === true ? 'after' : spec.required;
    var title = el('div', { class: 'kd-cq-field-title-wrap', title: spec.title || spec.label });
    if (req === 'before') title.appendChild(el('i', { class: 'kd-cq-field-required', text: '*' }));
    title.appendChild(el('span', { text: req === 'inline' ? label + '*' : req === 'lead' ? '*' + label : label }));
    if (req === 'after') title.appendChild(el('span', { class: 'kd-cq-field-required', text: '*' }));
    var locked = !!spec.locked;
    var wrap = el('div', { class: 'kd-cq-field-value-wrap' + (locked ? ' field-in-lock' : '') });
    var value = spec.value || '';
    if (t === 'combo') {
      wrap.appendChild(el('div', { class: 'kd-cq-combo', tabindex: '0', role: 'combobox', 'aria-expanded': 'false', 'data-options': (spec.options || []).join('|'), 'data-value': value, 'data-disabled': locked },
        [el('span', { class: 'kd-cq-combo-selected', title: value, text: value })]));
    } else if (t === 'textarea') {
      var ta = el('textarea', { class: 'kd-input-textarea', readonly: locked || spec.readonly });
      ta.value = value;
      wrap.appendChild(ta);
    } else if (t === 'checkbox' || t === 'checkboxes') {
      var box = t === 'checkboxes' ? el('div', { class: 'kd-cq-checkbox-group' }) : wrap;
      (t === 'checkboxes' ? spec.options || [] : ['']).forEach(function (o) {
        var cb = el('input', { type: 'checkbox', disabled: locked });
        cb.checked = (spec.checked || []).indexOf(o) >= 0 || (t === 'checkbox' && value === '是');
        box.appendChild(el('label', { class: 'kd-cq-checkbox' }, [cb, o ? el('span', { class: 'kd-cq-checkbox-label', text: o }) : null]));
      });
      if (box !== wrap) wrap.appendChild(box);
    } else if (t === 'radio') {
      var g = el('div', { class: 'kd-cq-radio-group', role: 'radiogroup' });
      (spec.options || []).forEach(function (o) {
        var rb = el('input', { type: 'radio', name: (pid || 'r') + '_' + (spec.key || label), disabled: locked });
        rb.checked = o === value;
        g.appendChild(el('label', { class: 'kd-cq-radio' }, [rb, el('span', { class: 'kd-cq-radio-label', text: o })]));
      });
      wrap.appendChild(g);
    } else {
      var secret = t === 'password';
      var inp = el('input', { type: secret ? 'password' : 'text', class: 'kd-cq-input' + (locked && !value ? ' lock-with-no-value' : ''), autocomplete: secret ? 'new-password' : 'off', readonly: locked || spec.readonly });
      inp.value = value;
      wrap.appendChild(inp);
      if (t === 'basedata') wrap.appendChild(el('span', { class: 'kd-cq-basedata-search', 'aria-hidden': 'true' }));
    }
    if (spec.tips) wrap.appendChild(el('div', { class: 'kd-cq-field-tips', text: spec.tips }));
    var type = { text: 'text', password: 'text', textarea: 'textarea', combo: 'combo', basedata: 'basedata', checkbox: 'checkbox', checkboxes: 'checkbox', radio: 'radiooptgroup' }[t] || 'text';
    return el('div', {
      class: 'kd-cq-field kd-cq-' + type + (spec.extraClass ? ' ' + spec.extraClass : ''),
      id: spec.key, 'data-page-id': spec.key && pid ? pid + '_' + spec.key : undefined, 'data-field-item': 'true'
    }, [title, wrap]);
  };

  // ------------------------------------------------------------------ dialogs
  // <template id="dlg_x"> holds <div class="kd-cq-modal-root"> <div class="kd-cq-modal-mask"> <div class="kd-cq-modal" role="dialog" data-form-id>
  //   <div class="kd-cq-modal-header"><div class="kd-cq-modal-title">…</div><button class="kd-cq-modal-close">
  //   <div class="kd-cq-modal-body">…  <div class="kd-cq-modal-footer"> buttons [data-btn-key="btnok"|"btncancel"]
  // Opening clones it into <body>, gives the dialog id="dialogShow" (evidenced for the dialog container) and a
  // fresh pageId (data-page-id, for its fields' data-page-id) and expands its <kd-field>/<kd-bar>; closing
  // removes it. [inference]: the clone/remove lifecycle, #dialogShow on the .kd-cq-modal itself.
  KD.openDialog = function (tplId, opts) {
    opts = opts || {};
    var tpl = document.getElementById(tplId);
    var root = tpl.content.firstElementChild.cloneNode(true);
    var modal = $('.kd-cq-modal', root);
    if (opts.title) $('.kd-cq-modal-title', root).textContent = opts.title;
    var pid = randHex(10);
    if (!modal.id) modal.id = 'dialogShow';
    modal.setAttribute('data-page-id', pid);
    modal.setAttribute('data-dialog-pageid', pid + '_' + (modal.getAttribute('data-form-id') || tplId));
    expand(root, pid, { required: modal.getAttribute('data-required'), suffix: modal.getAttribute('data-suffix') });
    document.body.appendChild(root);
    if (opts.fill) opts.fill(root);
    centerModal(modal);
    var first = $('input:not([readonly]):not([type="checkbox"]), textarea:not([readonly]), ' + COMBO, modal);
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
      el('div', { class: 'kd-cq-modal-footer' }, [el('button', { class: 'kd-cq-btn kd-cq-btn-primary', type: 'button', 'data-btn-key': 'btnok', 'data-dialog-close': '', text: '确定' })])
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
  // Fields are found by label (url / Client id and their variants), else by key (url / client_id).
  KD.OFFICIAL_URLS = ['https://api.piaozone.com', 'https://api-dev.piaozone.com/test'];
  function authValue(root, label, key) {
    return KD.findField(root, label) ? KD.fieldValue(root, label) : KD.fieldValue(root, key);
  }
  KD.authConnectTest = function (root) {
    var url = authValue(root, 'url', 'url').trim();
    var cid = authValue(root, 'Client id', 'client_id').trim();
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
  // The evidenced shell is built now (this script is the last thing in <body>, before the page's own
  // script); the older shell's header and tabs when the document is parsed, as before.
  var built = !!document.body && buildShell();
  function boot() {
    if (!built) built = buildShell();
    if (!built) initStaticShell();
    $all('.kd-cq-header').forEach(buildHeader);
    initTabs();
    document.dispatchEvent(new Event('kdcq:ready'));
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', boot);
  else boot();
})();
