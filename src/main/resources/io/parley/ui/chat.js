/*
 * The customer's chat: open a session (establishSessions, or a token the site's server made),
 * request an engagement, then long-poll getMessages with a cursor (lastSequenceNumber) so that a
 * lost answer loses no message.
 */
'use strict';

(() => {
  const $ = (id) => document.getElementById(id);
  const ui = {
    error: $('error'), start: $('start'), startButton: $('start-chat'), about: $('about'), connection: $('connection'),
    tokenNote: $('token-note'), chat: $('chat'), status: $('status'), transcript: $('transcript'), typing: $('typing'),
    composer: $('composer'), message: $('message'), send: $('send'), end: $('end'), again: $('again'),
  };
  const chat = { site: null, sessionId: null, cursor: null, poller: null, ended: false, names: new Map() };

  // A site's server that opened the session itself hands over its token in the fragment, which
  // browsers never send to any server.
  const presetToken = new URLSearchParams(window.location.hash.slice(1)).get('token');
  if (presetToken) {
    ui.about.hidden = true;
    ui.connection.hidden = true;
    // Disabled fields are left out of the form's validation.
    ui.about.disabled = true;
    ui.connection.disabled = true;
    ui.tokenNote.hidden = false;
  }

  const api = (operation, body, signal) => Parley.call(
    'engagement/api/consumer/' + encodeURIComponent(chat.site) + '/v1/' + operation,
    { body, signal, headers: { SessionId: chat.sessionId } });

  function line(text) {
    ui.transcript.append(Parley.el('li', { class: 'system' }, text));
    scroll();
  }

  function bubble(name, text, mine, at) {
    const meta = Parley.el('span', { class: 'meta' }, name + ' · ' + Parley.time(at));
    const item = Parley.el('li', { class: 'msg' + (mine ? ' mine' : '') }, meta, Parley.el('span', { class: 'body' }, text));
    ui.transcript.append(item);
    scroll();
    return meta;
  }

  function scroll() {
    ui.transcript.scrollTop = ui.transcript.scrollHeight;
  }

  function status(text, ended) {
    ui.status.textContent = text;
    ui.status.classList.toggle('ended', Boolean(ended));
  }

  function nameOf(message) {
    return message.name || chat.names.get(String(message.clientId)) || 'Agent';
  }

  function handle(m) {
    if (m.sequenceNumber !== undefined && m.sequenceNumber !== null) {
      chat.cursor = Math.max(chat.cursor || 0, Number(m.sequenceNumber));
    }
    switch (m.messageName) {
      case 'RNEngagementWaitInformationChangedMessage':
        status('You are number ' + m.position + ' in the queue. Expected wait: about '
          + Parley.duration(m.expectedWaitTimeSeconds) + '.');
        break;
      case 'RNEngagementParticipantAddedMessage':
        chat.names.set(String(m.clientId), m.name);
        status('You are chatting with ' + m.name + '.');
        line(m.name + ' joined the chat.');
        if (m.greeting) {
          bubble(m.name, m.greeting, false, m.createdTime);
        }
        break;
      case 'RNEngagementMessagePostedMessage':
        ui.typing.textContent = '';
        bubble(nameOf(m), m.body, false, m.createdTime);
        break;
      case 'RNEngagementActivityChangedMessage':
        ui.typing.textContent = m.mode === 'RESPONDING' ? nameOf(m) + ' is typing…' : '';
        break;
      case 'RNEngagementParticipantLeftMessage':
        ui.typing.textContent = '';
        if (m.disconnectReason === 'TRANSFERRED_TO_QUEUE') {
          line(nameOf(m) + ' passed your chat to another team.');
          status('Waiting for the next agent…');
        } else if (m.disconnectReason === 'TRANSFERRED_TO_AGENT') {
          line(nameOf(m) + ' handed your chat to a colleague.');
        } else {
          line(nameOf(m) + ' left the chat.');
        }
        break;
      case 'RNEngagementConcludedMessage':
        finish(m.reason === 'END_USER_CONCLUDED' ? 'You ended the chat.'
          : m.reason === 'QUEUE_TIMEOUT' ? 'Sorry, no agent could take your chat in time. The chat has ended.'
            : 'The agent ended the chat. Thank you for contacting us.');
        break;
      default:
        break;
    }
  }

  function finish(text) {
    if (chat.ended) {
      return;
    }
    chat.ended = true;
    if (chat.poller) {
      chat.poller.stop();
    }
    ui.typing.textContent = '';
    line(text);
    status(text, true);
    ui.message.disabled = true;
    ui.send.disabled = true;
    ui.end.hidden = true;
    ui.again.hidden = Boolean(presetToken);
  }

  const typing = Parley.typing((mode) => {
    // A lost typing signal is harmless; the chat itself must not be interrupted for it.
    api('activity', { mode }).catch(() => {});
  });

  async function open() {
    let token = presetToken;
    if (token) {
      const aud = Parley.claims(token).aud;
      chat.site = Array.isArray(aud) ? aud[0] : aud;
    } else {
      const info = {
        firstName: $('first-name').value.trim(),
        lastName: $('last-name').value.trim(),
        emailAddress: $('email').value.trim(),
        question: $('question').value.trim(),
      };
      const session = await Parley.call('services/rest/crossChannelServices/latest/establishSessions', {
        headers: { Authorization: Parley.basic($('api-user').value.trim(), $('api-password').value) },
        body: { sessionInformation: info },
      });
      token = session.channelToken;
      chat.site = session.siteName;
    }
    const engagement = await Parley.call(
      'engagement/api/consumer/' + encodeURIComponent(chat.site) + '/v1/requestEngagement',
      { headers: { Authorization: 'Bearer ' + token }, body: {} });
    chat.sessionId = engagement.sessionId;
  }

  Parley.onSubmit(ui.start, ui.startButton, ui.error, async () => {
    await open();
    ui.start.hidden = true;
    ui.chat.hidden = false;
    status('Connecting you to an agent…');
    ui.message.focus();
    chat.poller = Parley.poller({
      poll: async (signal) => {
        const answer = await api('getMessages', chat.cursor === null ? {} : { lastSequenceNumber: chat.cursor }, signal);
        (answer.systemMessages || []).forEach(handle);
      },
      onTrouble: (error) => { if (!chat.ended) { Parley.showError(ui.error, error); } },
      onFatal: (error) => {
        Parley.showError(ui.error, error);
        finish('The chat is no longer available.');
      },
    });
  });

  ui.message.addEventListener('input', () => {
    if (ui.message.value) {
      typing.input();
    }
  });
  Parley.submitOnEnter(ui.message, ui.composer);

  ui.composer.addEventListener('submit', async (event) => {
    event.preventDefault();
    const text = ui.message.value.trim();
    if (!text || chat.ended) {
      return;
    }
    ui.message.value = '';
    typing.done();
    const meta = bubble('You', text, true);
    meta.textContent = 'You · sending…';
    try {
      const answer = await api('postMessage', { body: text, messageId: Parley.messageId('web') });
      meta.textContent = 'You · ' + Parley.time(answer.createdTime);
      Parley.showError(ui.error, null);
    } catch (error) {
      meta.textContent = 'You · not sent';
      Parley.showError(ui.error, error);
    }
  });

  ui.end.addEventListener('click', async () => {
    ui.end.disabled = true;
    try {
      await api('concludeEngagement', {});
      finish('You ended the chat.');
    } catch (error) {
      Parley.showError(ui.error, error);
      ui.end.disabled = false;
    }
  });

  ui.again.addEventListener('click', () => {
    window.location.reload();
  });
})();
