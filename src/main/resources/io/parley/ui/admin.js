/*
 * The admin dashboard: log in (POST admin/api/v1/login with Basic credentials → a Bearer token),
 * then read the live queue figures every two seconds.
 */
'use strict';

(() => {
  const REFRESH_MS = 2000;
  const $ = (id) => document.getElementById(id);
  const ui = {
    error: $('error'), login: $('login'), loginButton: $('login-button'), loginNote: $('login-note'),
    sessionBar: $('session-bar'), who: $('who'), logout: $('logout'), dashboard: $('dashboard'),
    rows: $('rows'), updated: $('updated'),
    totalWaiting: $('total-waiting'), totalLongest: $('total-longest'), totalAbandoned: $('total-abandoned'),
    totalToday: $('total-today'),
  };
  let session = null;

  Parley.onSubmit(ui.login, ui.loginButton, ui.error, async () => {
    const answer = await Parley.call('admin/api/v1/login', {
      headers: { Authorization: Parley.basic($('username').value.trim(), $('password').value) },
    });
    $('password').value = '';
    session = { token: answer.token, timer: null, sites: new Map() };
    try {
      const sites = await Parley.call('admin/api/v1/sites', { method: 'GET', headers: { Authorization: 'Bearer ' + answer.token } });
      (sites.items || []).forEach((site) => session.sites.set(String(site.id), site.name));
    } catch (error) {
      // The figures still make sense without the site names; the rows then show the site's id.
      session.sites.clear();
    }
    ui.who.textContent = answer.username;
    ui.login.hidden = true;
    ui.loginNote.hidden = true;
    ui.sessionBar.hidden = false;
    ui.dashboard.hidden = false;
    refresh();
  });

  function logout(why) {
    if (session) {
      clearTimeout(session.timer);
    }
    session = null;
    ui.rows.replaceChildren();
    ui.dashboard.hidden = true;
    ui.sessionBar.hidden = true;
    ui.login.hidden = false;
    ui.loginNote.textContent = why;
    ui.loginNote.hidden = false;
  }

  ui.logout.addEventListener('click', () => logout('You are logged out.'));

  async function refresh() {
    const current = session;
    if (!current) {
      return;
    }
    try {
      const figures = await Parley.call('admin/api/v1/statistics', {
        method: 'GET', headers: { Authorization: 'Bearer ' + current.token },
      });
      if (session !== current) {
        return;
      }
      show(figures.items || []);
      Parley.showError(ui.error, null);
    } catch (error) {
      if (session !== current) {
        return;
      }
      Parley.showError(ui.error, error);
      if (error instanceof Parley.ApiError && error.status === 403) {
        // The token expired, or the account is no administrator any more.
        logout('Please log in again.');
        return;
      }
    }
    current.timer = setTimeout(refresh, REFRESH_MS);
  }

  function cell(value, hot) {
    return Parley.el('td', { class: hot ? 'hot' : null }, value);
  }

  function siteName(id) {
    return (session && session.sites.get(String(id))) || 'site ' + id;
  }

  function show(queues) {
    const rows = queues.map((q) => Parley.el('tr', { dataset: { queueId: q.queueId } },
      Parley.el('th', { scope: 'row' }, q.name, ' ', Parley.el('span', { class: 'site' }, siteName(q.siteId))),
      cell(q.open ? 'open' : 'closed'),
      Parley.el('td', { class: 'waiting' + (q.waiting > 0 ? ' hot' : '') }, q.waiting),
      cell(q.waiting > 0 ? Parley.duration(q.longestWaitSeconds) : '—', q.longestWaitSeconds >= 120),
      cell(Parley.duration(q.expectedWaitSeconds)),
      cell(q.agentsAvailable),
      cell(q.agentsBusy),
      cell(q.agentsAway),
      cell(q.engagementsToday),
      cell(q.abandonedToday),
      cell(q.timedOutToday),
      cell(q.averageHandleSeconds === null ? '—' : Parley.duration(q.averageHandleSeconds))));
    ui.rows.replaceChildren(...rows);
    const sum = (field) => queues.reduce((total, q) => total + Number(q[field] || 0), 0);
    const waiting = sum('waiting');
    ui.totalWaiting.textContent = String(waiting);
    ui.totalLongest.textContent = waiting > 0 ? Parley.duration(Math.max(...queues.map((q) => q.longestWaitSeconds))) : '—';
    ui.totalAbandoned.textContent = String(sum('abandonedToday'));
    ui.totalToday.textContent = String(sum('engagementsToday'));
    ui.updated.textContent = queues.length + (queues.length === 1 ? ' queue' : ' queues') + ' · updated '
      + new Date().toLocaleTimeString();
  }
})();
