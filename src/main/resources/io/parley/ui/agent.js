/*
 * The agent console: log on (agentTokens, serviceSettings, createAutomatedAgentSession), become
 * available, take offers, and keep several chats at once, each in its own tab. One long poll per
 * session (getMessages with the channel's lastSequenceNumber) feeds every chat.
 */
'use strict';

(() => {
  const $ = (id) => document.getElementById(id);
  const ui = {
    error: $('error'), login: $('login'), loginButton: $('login-button'), loginNote: $('login-note'),
    sessionBar: $('session-bar'), who: $('who'), presence: $('presence'), capacity: $('capacity'),
    availability: $('availability'), logoff: $('logoff'), forceLogoff: $('force-logoff'), console: $('console'),
    offers: $('offers'), noOffers: $('no-offers'), chats: $('chats'), noChats: $('no-chats'), notice: $('notice'),
    conversations: $('conversations'), empty: $('empty'),
  };
  let agent = null;

  const OFFER_KINDS = { LEAD: 'New chat', TRANSFER: 'Transfer', CONFERENCE: 'Conference' };
  const WITHDRAWN = {
    TIMEOUT: 'was not accepted in time', TAKEN: 'was taken by another agent', CONCLUDED: 'ended',
    UNAVAILABLE: 'was withdrawn because you are unavailable', AWAY: 'was withdrawn because you were away',
    LOGGED_OFF: 'was withdrawn',
  };

  function api(operation, body, signal) {
    return Parley.call('engagement/api/agent/' + encodeURIComponent(agent.site) + '/v1/' + operation, {
      body, signal, headers: { 'X-AID': String(agent.accountId), 'X-JSESSIONID': agent.sessionId },
    });
  }

  function fail(error) {
    Parley.showError(ui.error, error);
  }

  function notice(text) {
    ui.notice.textContent = text;
  }

  // ------------------------------------------------------------------ logging on and off

  Parley.onSubmit(ui.login, ui.loginButton, ui.error, async () => {
    const credentials = Parley.basic($('username').value.trim(), $('password').value);
    const token = await Parley.call('services/rest/crossChannelServices/latest/agentTokens',
      { headers: { Authorization: credentials } });
    const settings = await Parley.call('services/rest/crossChannelServices/latest/serviceSettings/1',
      { method: 'GET', headers: { Authorization: credentials } });
    const logon = await Parley.call('engagement/api/agent/' + encodeURIComponent(settings.siteName)
      + '/v1/createAutomatedAgentSession', {
      headers: { Authorization: 'Bearer ' + token.sessionToken },
      body: { logonOverride: $('override').checked },
    });
    start(settings.siteName, logon);
  });

  function start(site, logon) {
    agent = {
      site,
      sessionId: logon.sessionId,
      accountId: logon.accountId,
      name: logon.chatLogonResult.agentName,
      available: false,
      cursor: null,
      offers: new Map(),
      chats: new Map(),
      active: null,
    };
    $('password').value = '';
    ui.login.hidden = true;
    ui.loginNote.hidden = true;
    ui.console.hidden = false;
    ui.sessionBar.hidden = false;
    ui.who.textContent = agent.name + ' · ' + site;
    presence(false);
    notice('Logged on. Become available to receive chats.');
    agent.poller = Parley.poller({
      poll: async (signal) => {
        const answer = await api('getMessages', agent.cursor === null ? {} : { lastSequenceNumber: agent.cursor }, signal);
        (answer.getResponseTypes || []).forEach(dispatch);
      },
      onTrouble: (error) => Parley.showError(ui.error, error),
      onFatal: (error) => {
        stop('Your session has ended.');
        fail(error);
      },
    });
  }

  function stop(why) {
    if (!agent) {
      return;
    }
    agent.poller.stop();
    agent.chats.forEach((c) => c.panel.remove());
    agent = null;
    ui.offers.replaceChildren();
    ui.chats.replaceChildren();
    ui.console.hidden = true;
    ui.sessionBar.hidden = true;
    ui.forceLogoff.hidden = true;
    ui.login.hidden = false;
    ui.loginNote.textContent = why;
    ui.loginNote.hidden = false;
    refreshLists();
  }

  async function logoff(force) {
    try {
      await api('logoff', { forceLogoff: force });
      Parley.showError(ui.error, null);
      stop('You are logged off.');
    } catch (error) {
      fail(error);
      // Live chats: the agent may end them first, or log off anyway (they go back to the queue).
      ui.forceLogoff.hidden = !(error instanceof Parley.ApiError && error.code === 'LIVE_CHATS');
    }
  }

  ui.logoff.addEventListener('click', () => logoff(false));
  ui.forceLogoff.addEventListener('click', () => logoff(true));

  // ------------------------------------------------------------------ availability

  function presence(available) {
    agent.available = available;
    ui.presence.textContent = available ? 'Available' : 'Unavailable';
    ui.presence.className = 'pill ' + (available ? 'available' : 'unavailable');
    ui.availability.textContent = available ? 'Become unavailable' : 'Become available';
  }

  async function requestChats() {
    const count = Number(ui.capacity.value);
    await api('requestAssignment', { assignmentRequested: true, maxSessionCount: count, idleSessionCount: count });
  }

  ui.availability.addEventListener('click', async () => {
    ui.availability.disabled = true;
    try {
      if (agent.available) {
        await api('setActivityStatus', { status: 'UNAVAILABLE', subTypeId: 0 });
        presence(false);
        notice('You are unavailable: no new chats are offered to you.');
      } else {
        await api('setActivityStatus', { status: 'AVAILABLE', subTypeId: 0 });
        await requestChats();
        presence(true);
        notice('You are available for up to ' + ui.capacity.value + ' chats at once.');
      }
      Parley.showError(ui.error, null);
    } catch (error) {
      fail(error);
    } finally {
      ui.availability.disabled = false;
    }
  });

  ui.capacity.addEventListener('change', async () => {
    if (agent && agent.available) {
      try {
        await requestChats();
        notice('You take up to ' + ui.capacity.value + ' chats at once.');
      } catch (error) {
        fail(error);
      }
    }
  });

  // ------------------------------------------------------------------ what the poll brings

  function dispatch(entry) {
    const type = Object.keys(entry)[0];
    const m = entry[type];
    if (m && m.sequenceNumber !== undefined && m.sequenceNumber !== null) {
      agent.cursor = Math.max(agent.cursor || 0, Number(m.sequenceNumber));
    }
    const chat = m && m.engagementId !== null && m.engagementId !== undefined ? agent.chats.get(String(m.engagementId)) : null;
    switch (type) {
      case 'ChatEngagementAssignmentNotification':
        if (!m.autoAccepted) {
          offer(m);
        }
        break;
      case 'ChatEngagementAssignmentWithdrawnNotification':
        withdraw(m);
        break;
      case 'ChatEngagementRequestRefusedNotification':
        if (chat) {
          chat.line('Your ' + (m.assignmentType === 'CONFERENCE' ? 'conference' : 'transfer') + ' request was '
            + (m.reason === 'DECLINED' ? 'declined.' : 'not answered in time.'));
        }
        break;
      case 'ChatEngagementMessageNotification':
        if (chat) {
          chat.message(m.name || chat.nameOf(m.clientId), m.body, m.visibility === 'AGENTS', m.createdTime);
        }
        break;
      case 'ChatActivitySignal':
        if (chat) {
          chat.typingOf(m.clientId, m.mode === 'RESPONDING');
        }
        break;
      case 'ChatEngagementParticipantAddedNotification':
        if (chat) {
          chat.joined(m);
        }
        break;
      case 'ChatEngagementParticipantRemovedNotification':
        if (chat) {
          chat.left(m);
        }
        break;
      case 'ChatEngagementParticipantRoleChangedNotification':
        if (chat) {
          chat.line(chat.nameOf(m.clientId) + ' is now ' + (m.role === 'LEAD' ? 'leading the chat.' : m.role.toLowerCase() + '.'));
        }
        break;
      case 'ChatEngagementConcludedNotification':
        if (chat) {
          chat.concluded(m.reason === 'END_USER_CONCLUDED' ? 'The customer ended the chat.'
            : m.reason === 'QUEUE_TIMEOUT' ? 'The chat timed out in the queue.' : 'The chat was concluded.');
        }
        break;
      case 'ChatConfigChangeNotification':
        if (m.maxSessionCount) {
          ui.capacity.value = String(Math.min(5, Math.max(1, m.maxSessionCount)));
        }
        break;
      default:
        break;
    }
  }

  // ------------------------------------------------------------------ offers

  function offer(m) {
    const id = String(m.engagementId);
    const previous = agent.offers.get(id);
    if (previous) {
      previous.remove();
    }
    const who = m.customerName || 'A customer';
    const accept = Parley.el('button', { type: 'button' }, 'Accept');
    const decline = Parley.el('button', { type: 'button', class: 'secondary' }, 'Decline');
    const card = Parley.el('li', { class: 'offer', dataset: { engagementId: id } },
      Parley.el('div', { class: 'who' }, who),
      Parley.el('div', { class: 'notice' }, (OFFER_KINDS[m.assignmentType] || 'Chat') + ' · queue ' + m.queueId),
      Parley.el('p', { class: 'question' }, m.question || 'No question given.'),
      Parley.el('div', { class: 'actions' }, accept, decline));
    accept.setAttribute('aria-label', 'Accept the chat with ' + who);
    decline.setAttribute('aria-label', 'Decline the chat with ' + who);
    accept.addEventListener('click', () => answerOffer(m, 'ACCEPT', accept, decline));
    decline.addEventListener('click', () => answerOffer(m, 'DECLINE', accept, decline));
    agent.offers.set(id, card);
    ui.offers.append(card);
    refreshLists();
  }

  function dropOffer(engagementId) {
    const card = agent.offers.get(String(engagementId));
    if (card) {
      card.remove();
      agent.offers.delete(String(engagementId));
      refreshLists();
    }
  }

  function withdraw(m) {
    const card = agent.offers.get(String(m.engagementId));
    if (card) {
      notice('The offer of ' + card.querySelector('.who').textContent + ' ' + (WITHDRAWN[m.reason] || 'was withdrawn') + '.');
      dropOffer(m.engagementId);
    }
  }

  async function answerOffer(m, action, accept, decline) {
    accept.disabled = true;
    decline.disabled = true;
    // The chat exists before the answer comes back: the poll may bring its first events sooner.
    const chat = action === 'ACCEPT' ? conversation(m) : null;
    try {
      const answer = await api('assignmentAcknowledgement', {
        engagementId: m.engagementId, action, actionType: 'MANUAL', assignmentType: m.assignmentType || 'LEAD',
      });
      dropOffer(m.engagementId);
      Parley.showError(ui.error, null);
      if (chat) {
        chat.accepted(answer.chatAssignmentAcknowledgementResult);
        select(chat);
        chat.input.focus();
      }
    } catch (error) {
      fail(error);
      if (chat) {
        chat.close();
      }
      if (error instanceof Parley.ApiError && error.status === 409) {
        dropOffer(m.engagementId);
      } else {
        accept.disabled = false;
        decline.disabled = false;
      }
    }
  }

  function refreshLists() {
    ui.noOffers.hidden = ui.offers.children.length > 0;
    ui.noChats.hidden = ui.chats.children.length > 0;
    ui.empty.hidden = ui.chats.children.length > 0;
  }

  // ------------------------------------------------------------------ conversations

  function select(chat) {
    agent.active = chat.id;
    agent.chats.forEach((c) => {
      const on = c === chat;
      c.tab.setAttribute('aria-selected', String(on));
      c.tab.tabIndex = on ? 0 : -1;
      c.panel.hidden = !on;
    });
    chat.unread = 0;
    chat.badge();
  }

  // Arrow keys move between the chat tabs (one tab stop for the list, as a tablist has).
  ui.chats.addEventListener('keydown', (event) => {
    const tabs = Array.from(ui.chats.querySelectorAll('[role="tab"]'));
    const at = tabs.indexOf(document.activeElement);
    const moves = { ArrowDown: at + 1, ArrowRight: at + 1, ArrowUp: at - 1, ArrowLeft: at - 1, Home: 0, End: tabs.length - 1 };
    if (at < 0 || !(event.key in moves)) {
      return;
    }
    event.preventDefault();
    const next = tabs[(moves[event.key] + tabs.length) % tabs.length];
    next.focus();
    next.click();
  });

  function conversation(m) {
    const id = String(m.engagementId);
    const names = new Map();
    const customer = m.customerName || 'Customer';
    const tabId = 'tab-' + id;
    const panelId = 'chat-' + id;

    const state = Parley.el('span', { class: 'state' }, 'joining');
    const badge = Parley.el('span', { class: 'badge', hidden: true });
    const tab = Parley.el('button', { type: 'button', role: 'tab', id: tabId, 'aria-controls': panelId, 'aria-selected': 'false' },
      Parley.el('span', {}, customer), Parley.el('span', {}, state, ' ', badge));
    const item = Parley.el('li', { role: 'presentation' }, tab);

    const transcript = Parley.el('ol', { class: 'transcript', 'aria-label': 'Conversation with ' + customer, 'aria-live': 'polite' });
    const typingLine = Parley.el('p', { class: 'typing', 'aria-live': 'polite' });
    const input = Parley.el('textarea', { id: 'message-' + id, rows: 2, maxlength: 10000, placeholder: 'Reply to ' + customer + '…' });
    const send = Parley.el('button', { type: 'submit' }, 'Send');
    const composer = Parley.el('form', { class: 'composer', method: 'post' },
      Parley.el('label', { class: 'visually-hidden', for: 'message-' + id }, 'Reply'), input, send);
    const transferButton = Parley.el('button', { type: 'button', class: 'secondary' }, 'Transfer…');
    const conclude = Parley.el('button', { type: 'button', class: 'danger' }, 'Conclude');
    const release = Parley.el('button', { type: 'button', hidden: true }, 'Release');
    const target = Parley.el('select', { id: 'target-' + id });
    const doTransfer = Parley.el('button', { type: 'button' }, 'Transfer');
    const cancelTransfer = Parley.el('button', { type: 'button', class: 'secondary' }, 'Cancel');
    const transferHint = Parley.el('p', { class: 'hint' });
    const transfer = Parley.el('div', { class: 'transfer', hidden: true },
      Parley.el('label', { for: 'target-' + id }, 'Send this chat to'), target, transferHint,
      Parley.el('div', { class: 'actions' }, doTransfer, cancelTransfer));
    const panel = Parley.el('section', { class: 'card conversation', role: 'tabpanel', id: panelId, 'aria-labelledby': tabId, hidden: true },
      Parley.el('header', {}, Parley.el('h2', {}, customer), Parley.el('p', {}, m.question || '')),
      transcript, typingLine, composer,
      Parley.el('div', { class: 'actions spaced' }, transferButton, conclude, release),
      transfer);

    const chat = {
      id, panel, tab, input, unread: 0, ended: false, myClientId: null,
      nameOf: (clientId) => names.get(String(clientId)) || 'Customer',
      badge() {
        badge.textContent = String(chat.unread);
        badge.hidden = chat.unread === 0;
        badge.setAttribute('aria-label', chat.unread + ' unread');
      },
      arrived() {
        if (agent.active !== id) {
          chat.unread += 1;
          chat.badge();
        }
      },
      line(text) {
        transcript.append(Parley.el('li', { class: 'system' }, text));
        transcript.scrollTop = transcript.scrollHeight;
      },
      message(name, body, whisper, at, mine) {
        const meta = Parley.el('span', { class: 'meta' }, name + (whisper ? ' (to agents only)' : '') + ' · ' + Parley.time(at));
        transcript.append(Parley.el('li', { class: 'msg' + (mine ? ' mine' : '') }, meta, Parley.el('span', { class: 'body' }, body)));
        transcript.scrollTop = transcript.scrollHeight;
        if (!mine) {
          typingLine.textContent = '';
          chat.arrived();
        }
        return meta;
      },
      typingOf(clientId, on) {
        typingLine.textContent = on ? chat.nameOf(clientId) + ' is typing…' : '';
      },
      accepted(result) {
        chat.myClientId = result ? String(result.clientId) : null;
        ((result && result.clientList) || []).forEach((c) => names.set(String(c.clientId), c.name));
        state.textContent = 'live';
      },
      joined(p) {
        names.set(String(p.clientId), p.name);
        if (String(p.clientId) !== chat.myClientId && p.name !== agent.name) {
          chat.line(p.name + ' joined' + (p.role === 'MONITOR' ? ' to monitor.' : '.'));
        }
      },
      left(p) {
        if (String(p.clientId) === chat.myClientId) {
          chat.line(p.disconnectReason === 'TRANSFERRED_TO_QUEUE' ? 'The chat went back to the queue.'
            : p.disconnectReason === 'TRANSFERRED_TO_AGENT' ? 'The chat now belongs to a colleague.' : 'You left the chat.');
          chat.finished('moved', true);
          return;
        }
        typingLine.textContent = '';
        chat.line(chat.nameOf(p.clientId) + ' left the chat.');
      },
      concluded(text) {
        if (!chat.ended) {
          chat.line(text + ' Release it when your notes are done.');
        }
        chat.finished('wrap-up', false);
      },
      finished(label, gone) {
        chat.ended = true;
        state.textContent = label;
        typingLine.textContent = '';
        input.disabled = true;
        send.disabled = true;
        transferButton.hidden = true;
        transfer.hidden = true;
        conclude.hidden = true;
        release.hidden = false;
        // A chat that left this agent holds no slot: "Release" only closes its tab.
        release.textContent = gone ? 'Close' : 'Release';
        release.dataset.gone = gone ? 'true' : '';
        chat.arrived();
      },
      close() {
        item.remove();
        panel.remove();
        agent.chats.delete(id);
        if (agent.active === id) {
          agent.active = null;
          const next = agent.chats.values().next().value;
          if (next) {
            select(next);
          }
        }
        refreshLists();
      },
    };

    const typing = Parley.typing((mode) => {
      // A lost typing signal is harmless; it must not get in the way of the chat.
      api('setInteractionStatus', { engagementId: m.engagementId, mode }).catch(() => {});
    });
    input.addEventListener('input', () => {
      if (input.value) {
        typing.input();
      }
    });
    Parley.submitOnEnter(input, composer);
    composer.addEventListener('submit', async (event) => {
      event.preventDefault();
      const text = input.value.trim();
      if (!text || chat.ended) {
        return;
      }
      input.value = '';
      typing.done();
      const meta = chat.message('You', text, false, null, true);
      meta.textContent = 'You · sending…';
      try {
        const answer = await api('postMessage', { engagementId: m.engagementId, body: text, messageId: Parley.messageId('agent') });
        meta.textContent = 'You · ' + Parley.time(answer.chatPostMessageResult.createdTime);
        Parley.showError(ui.error, null);
      } catch (error) {
        meta.textContent = 'You · not sent';
        fail(error);
      }
    });
    tab.addEventListener('click', () => select(chat));
    conclude.addEventListener('click', async () => {
      conclude.disabled = true;
      try {
        await api('concludeChat', { engagementId: m.engagementId });
        chat.concluded('You concluded the chat.');
        Parley.showError(ui.error, null);
      } catch (error) {
        fail(error);
      } finally {
        conclude.disabled = false;
      }
    });
    release.addEventListener('click', async () => {
      if (release.dataset.gone) {
        chat.close();
        return;
      }
      release.disabled = true;
      try {
        await api('releaseChat', { engagementId: m.engagementId });
        Parley.showError(ui.error, null);
        chat.close();
      } catch (error) {
        fail(error);
        release.disabled = false;
      }
    });
    transferButton.addEventListener('click', () => openTransfer(m.engagementId, target, transferHint, transfer));
    cancelTransfer.addEventListener('click', () => { transfer.hidden = true; });
    doTransfer.addEventListener('click', async () => {
      const [kind, value] = target.value.split(':');
      const body = kind === 'agent' ? { engagementId: m.engagementId, agentId: Number(value), assignmentType: 'TRANSFER' }
        : { engagementId: m.engagementId, queueId: Number(value) };
      doTransfer.disabled = true;
      try {
        await api('rerouteEngagement', body);
        Parley.showError(ui.error, null);
        transfer.hidden = true;
        if (kind === 'agent') {
          chat.line('Transfer offered to ' + target.selectedOptions[0].dataset.name + '; the chat stays yours until they accept.');
        }
      } catch (error) {
        fail(error);
      } finally {
        doTransfer.disabled = false;
      }
    });

    agent.chats.set(id, chat);
    ui.chats.append(item);
    ui.conversations.append(panel);
    chat.line('Chat with ' + customer + (m.question ? ' about “' + m.question + '”' : '') + '.');
    refreshLists();
    return chat;
  }

  /** Fills the transfer choices: the queues (the escalation queue first) and the other agents logged on. */
  async function openTransfer(engagementId, target, hint, panel) {
    target.replaceChildren();
    hint.textContent = 'Loading where the chat can go…';
    panel.hidden = false;
    try {
      const [availability, directory] = await Promise.all([
        Parley.call('engagement/api/agent/' + encodeURIComponent(agent.site) + '/v1/rerouteAvailability?engagementId='
          + encodeURIComponent(engagementId), {
          method: 'GET', headers: { 'X-AID': String(agent.accountId), 'X-JSESSIONID': agent.sessionId },
        }),
        api('retrieveAgentsAndQueues', { type: 'SITE', includeAgentInformation: true, includeQueueInformation: true }),
      ]);
      const escalation = availability.chatRerouteAvailabilityResult;
      const found = directory.chatRetrieveAgentsAndQueuesResult;
      const queues = Parley.el('optgroup', { label: 'Queues' });
      (found.queues || []).forEach((q) => {
        const isEscalation = escalation.queueId !== null && String(q.queueId) === String(escalation.queueId);
        const option = Parley.el('option', { value: 'queue:' + q.queueId, selected: isEscalation },
          q.name + (isEscalation ? ' (escalation)' : '') + ' · ' + q.engagementsInQueue + ' waiting');
        if (isEscalation) {
          queues.prepend(option);
        } else {
          queues.append(option);
        }
      });
      const agents = Parley.el('optgroup', { label: 'Agents' });
      (found.agents || []).filter((a) => String(a.accountId) !== String(agent.accountId)).forEach((a) => {
        agents.append(Parley.el('option', { value: 'agent:' + a.accountId, dataset: { name: a.name } },
          a.name + ' · ' + a.status.toLowerCase() + ' · ' + a.activeChats + '/' + a.maxChats + ' chats'));
      });
      target.append(queues);
      if (agents.children.length) {
        target.append(agents);
      }
      hint.textContent = escalation.available
        ? 'The escalation queue expects a wait of about ' + Parley.duration(escalation.expectedWaitSeconds) + '.'
        : 'A queue takes the chat back in line; an agent gets it as an offer.';
    } catch (error) {
      hint.textContent = '';
      panel.hidden = true;
      fail(error);
    }
  }
})();
