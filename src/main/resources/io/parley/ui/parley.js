/*
 * What the three pages share: where the API is, calling it, showing its errors, building DOM
 * without innerHTML, long polls that survive hiccups, and typing signals.
 */
'use strict';

const Parley = (() => {
  // The pages live at <context>/ui/...; the API is at <context>/, so a WAR under a context path works too.
  const base = new URL('../', window.location.href);

  /** An answer other than 2xx, with Parley's error code and message. */
  class ApiError extends Error {
    constructor(status, code, message, retryAfter) {
      super(message);
      this.status = status;
      this.code = code;
      this.retryAfter = retryAfter;
    }
  }

  function basic(user, password) {
    const bytes = new TextEncoder().encode(user + ':' + password);
    let binary = '';
    bytes.forEach((b) => { binary += String.fromCharCode(b); });
    return 'Basic ' + btoa(binary);
  }

  /**
   * Calls the API at `path` (relative to Parley's root). Resolves with the parsed JSON (null for
   * an empty answer); rejects with an ApiError for any other status, or a TypeError when Parley
   * cannot be reached.
   */
  async function call(path, { method = 'POST', body, headers = {}, signal } = {}) {
    const init = { method, headers: { ...headers }, signal, credentials: 'omit', cache: 'no-store' };
    if (body !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    const response = await fetch(new URL(path, base), init);
    const text = await response.text();
    let json = null;
    if (text) {
      try {
        json = JSON.parse(text);
      } catch (e) {
        json = null;
      }
    }
    if (!response.ok) {
      const retry = Number(response.headers.get('Retry-After'));
      throw new ApiError(response.status, (json && json.code) || 'HTTP_' + response.status,
        (json && json.message) || 'Parley answered ' + response.status + '.',
        Number.isFinite(retry) && retry > 0 ? retry : null);
    }
    return json;
  }

  /** A sentence for the person in front of the page. */
  function describe(error) {
    if (error instanceof ApiError) {
      return error.message + ' (' + error.code + ', HTTP ' + error.status + ')';
    }
    return 'Parley cannot be reached. Check the connection and try again.';
  }

  /** Shows `error` (or clears the area when it is null) in an element with role="alert". */
  function showError(area, error) {
    area.textContent = error ? describe(error) : '';
    area.hidden = !error;
  }

  /** el('li', {class: 'x', dataset: {id: 1}}, 'text', child): DOM from data; text is never parsed as HTML. */
  function el(tag, attributes = {}, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attributes)) {
      if (value === null || value === undefined || value === false) {
        continue;
      }
      if (key === 'dataset') {
        Object.assign(node.dataset, value);
      } else if (key === 'onclick') {
        node.addEventListener('click', value);
      } else {
        node.setAttribute(key, value === true ? '' : String(value));
      }
    }
    for (const child of children.flat()) {
      if (child !== null && child !== undefined && child !== false) {
        node.append(child instanceof Node ? child : String(child));
      }
    }
    return node;
  }

  /** A client message id, so that a retried post is stored once. */
  function messageId(prefix) {
    if (window.crypto && crypto.randomUUID) {
      return prefix + '-' + crypto.randomUUID();
    }
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return prefix + '-' + Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  }

  function duration(seconds) {
    if (seconds === null || seconds === undefined || Number.isNaN(Number(seconds))) {
      return '—';
    }
    const s = Math.max(0, Math.round(Number(seconds)));
    if (s < 60) {
      return s + ' s';
    }
    const m = Math.floor(s / 60);
    if (m < 60) {
      return m + ' min' + (s % 60 ? ' ' + (s % 60) + ' s' : '');
    }
    return Math.floor(m / 60) + ' h ' + (m % 60) + ' min';
  }

  function time(value) {
    const d = value === undefined || value === null ? new Date() : new Date(value);
    return d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  }

  const sleep = (ms) => new Promise((resolve) => { setTimeout(resolve, ms); });

  /**
   * A long-poll loop. `poll()` makes one call and handles its answer. Errors that may pass (the
   * network, 503 with Retry-After, a 5xx) are shown through `onTrouble` and retried with a growing
   * pause, and `onTrouble(null)` says when polls work again; any other error ends the loop through
   * `onFatal`. `stop()` ends it quietly.
   */
  function poller({ poll, onTrouble, onFatal }) {
    let running = true;
    let controller = null;
    (async () => {
      let pause = 1000;
      let troubled = false;
      while (running) {
        controller = new AbortController();
        try {
          await poll(controller.signal);
          pause = 1000;
          if (troubled) {
            // Recovered: the trouble shown is over (other errors the page showed stay).
            troubled = false;
            onTrouble(null);
          }
        } catch (error) {
          if (!running) {
            return;
          }
          const passing = !(error instanceof ApiError) || error.status >= 500;
          if (!passing) {
            running = false;
            onFatal(error);
            return;
          }
          troubled = true;
          onTrouble(error);
          await sleep(error instanceof ApiError && error.retryAfter ? error.retryAfter * 1000 : pause);
          pause = Math.min(pause * 2, 15000);
        }
      }
    })();
    return {
      stop() {
        running = false;
        if (controller) {
          controller.abort();
        }
      },
    };
  }

  /**
   * Typing signals for one conversation: `send(mode)` tells Parley. `input()` on every keystroke sends
   * RESPONDING at most every few seconds and LISTENING once typing pauses; `done()` after sending.
   */
  function typing(send) {
    let typingSince = 0;
    let idle = null;
    const quiet = () => {
      if (typingSince) {
        typingSince = 0;
        send('LISTENING');
      }
    };
    return {
      input() {
        const now = Date.now();
        if (!typingSince || now - typingSince > 4000) {
          typingSince = now;
          send('RESPONDING');
        }
        clearTimeout(idle);
        idle = setTimeout(quiet, 3000);
      },
      done() {
        clearTimeout(idle);
        quiet();
      },
    };
  }

  /** The claims of a JWT, read without checking it (Parley checks it when the token is used). */
  function claims(token) {
    const part = String(token).split('.')[1] || '';
    const b64 = part.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(part.length / 4) * 4, '=');
    try {
      return JSON.parse(new TextDecoder().decode(Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))));
    } catch (e) {
      return {};
    }
  }

  /**
   * Sends `form` through `action` (never natively): checks its fields first, keeps `button`
   * disabled while the action runs, and shows what went wrong in `errorArea`.
   */
  function onSubmit(form, button, errorArea, action) {
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      if (!form.checkValidity()) {
        form.reportValidity();
        return;
      }
      showError(errorArea, null);
      button.disabled = true;
      try {
        await action();
      } catch (error) {
        showError(errorArea, error);
      } finally {
        button.disabled = false;
      }
    });
  }

  /** Enter sends, Shift+Enter makes a new line. */
  function submitOnEnter(textarea, form) {
    textarea.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        form.requestSubmit();
      }
    });
  }

  return { ApiError, base, basic, call, describe, showError, el, messageId, duration, time, sleep, poller, typing,
    claims, onSubmit, submitOnEnter };
})();
