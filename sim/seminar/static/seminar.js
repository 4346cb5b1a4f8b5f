/* The seminar page: one script for every role. It asks the server for its view by long
   polling (/api/<token>/view?after=<version>: the digest of the view it holds; the server
   answers when its own view differs), draws it with textContent only (never
   HTML from data), and retries with backoff after an error, so a phone that slept or
   a restarted server reconnects by itself. */
"use strict";

const token = location.pathname.split("/")[2] || "";
const state = { version: 0, view: null, formKey: "", focus: null, focusKey: "", draft: { move: "", text: "", claims: "", setClaims: false } };
const $ = (id) => document.getElementById(id);

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (key === "class") node.className = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else if (value !== false && value !== null && value !== undefined) node.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.appendChild(typeof child === "string" || typeof child === "number" ? document.createTextNode(String(child)) : child);
  }
  return node;
}

function section(id, heading) {
  let box = $(id);
  if (!box) {
    box = el("section", { id, class: "card" });
    $("app").appendChild(box);
  }
  box.textContent = "";
  if (heading) box.appendChild(el("h2", {}, heading));
  return box;
}

function say(text, bad) {
  const status = $("status");
  status.textContent = text;
  status.className = bad ? "status bad" : "status";
}

const pct = (v) => (v === null || v === undefined ? "–" : Number(v).toFixed(2));
/* a gap with its sign, as rounded: +0.15, -0.30, 0.00 (never "-0.00") */
const signed = (v) => { const r = Number(Number(v).toFixed(2)); return r === 0 ? "0.00" : `${r > 0 ? "+" : ""}${r.toFixed(2)}`; };

/* ------------------------------------------------------------ talking to the server */

async function post(action, body) {
  try {
    const answer = await fetch(`/api/${token}/${action}`, {
      method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body || {}), cache: "no-store",
    });
    const data = answer.headers.get("Content-Type") === "application/json" ? await answer.json() : {};
    if (!answer.ok) { say(data.error || `refused (${answer.status})`, true); return null; }
    say("");
    return data;
  } catch (err) {
    say("no connection to the server: try again in a moment", true);
    return null;
  }
}

async function poll() {
  let wait = 500;
  for (;;) {
    try {
      const answer = await fetch(`/api/${token}/view?after=${state.version}`, { cache: "no-store" });
      if (answer.status === 404) {
        section("gone", "This link opens nothing");
        $("gone").appendChild(el("p", {}, "It may have been replaced. Ask the instructor for a new link."));
        for (const node of [...$("app").children]) if (node.id !== "gone") node.remove();
        return;
      }
      if (!answer.ok) throw new Error(String(answer.status));
      const view = await answer.json();
      wait = 500;
      if ($("status").classList.contains("bad") && $("status").textContent.startsWith("reconnecting")) say("");
      if (view.version !== state.version || !state.view) {
        state.version = view.version;
        state.view = view;
        render(view);
      }
    } catch (err) {
      say("reconnecting…", true);
      await new Promise((resolve) => setTimeout(resolve, wait));
      wait = Math.min(wait * 2, 8000);
    }
  }
}

/* ------------------------------------------------------------ shared parts */

function header(view, who) {
  document.title = `${who}: turn ${view.turn}`;
  $("title").textContent = `${who}: ${view.title}`;
  $("turn").textContent = view.ended
    ? `The session has ended after ${view.played} turns.`
    : view.game_over ? `All ${view.turns} turns are played.` : `Turn ${view.turn} of ${view.turns}`;
}

function chartCard(view, heading) {
  const box = section("chart", heading);
  const key = view.chart.series.map((s) => s.actor).join(",");
  if (state.focusKey !== key) {
    state.focusKey = key;
    state.focus = new Set(view.chart.series.map((s) => s.actor));
  }
  if (view.chart.series.length > 1) {
    const picks = el("fieldset", { class: "focus" }, el("legend", {}, "States in focus"));
    for (const s of view.chart.series) {
      const box2 = el("input", { type: "checkbox", checked: state.focus.has(s.actor), onchange: (e) => {
        if (e.target.checked) state.focus.add(s.actor); else state.focus.delete(s.actor);
        drawTensionChart(holder, view.chart, state.focus);
      } });
      picks.appendChild(el("label", { class: "pick" }, box2, ` ${s.name}`));
    }
    box.appendChild(picks);
  }
  const holder = el("div", { class: "chart-holder" });
  box.appendChild(holder);
  drawTensionChart(holder, view.chart, state.focus);
}

function historyCard(view) {
  const box = section("history", "What happened (public)");
  if (!view.history.length) { box.appendChild(el("p", {}, "No turn has been played yet.")); return; }
  for (const turn of view.history) {
    box.appendChild(el("h3", {}, `Turn ${turn.turn}`));
    for (const inj of turn.injects) box.appendChild(el("p", { class: "inject" }, `Event in the scenario: ${inj}`));
    for (const ev of turn.events) box.appendChild(el("p", { class: "event" }, `${ev.name}: “${ev.text}”`));
    const list = el("ul", { class: "moves" });
    for (const m of turn.moves) {
      list.appendChild(el("li", { class: `move actor-${m.actor}` },
        el("strong", {}, m.name), `: ${m.label} (rung ${m.rung})`,
        m.framing ? el("q", { class: "framing" }, m.framing) : null));
    }
    box.appendChild(list);
  }
}

function revealCard(view) {
  const old = $("reveal");
  if (!view.reveal) { if (old) old.remove(); return; }
  const r = view.reveal;
  const box = section("reveal", `Reveal: turn ${r.turn}, meant vs framed vs read`);
  box.appendChild(el("p", { class: "note" }, `A reading ${r.threshold.toFixed(2)} or more away from what was meant toward its reader is marked ⚠ (toward a partner a move means less).`));
  for (const m of r.moves) {
    box.appendChild(el("h3", {}, `${m.name}: ${m.label}`));
    box.appendChild(el("p", {}, `meant ${pct(m.meant)} · framed ${pct(m.framed)}`,
      m.framing ? el("q", { class: "framing" }, m.framing) : null,
      m.event ? el("q", { class: "framing" }, `Event: ${m.event}`) : null));
    const table = el("table", { class: "reveal-table" },
      el("thead", {}, el("tr", {}, el("th", {}, "observer"), el("th", {}, "meant toward it"), el("th", {}, "read as"), el("th", {}, "reading"), el("th", {}, "gap"))));
    const body = el("tbody", {});
    for (const rd of m.readings) {
      body.appendChild(el("tr", { class: rd.flagged ? "flagged" : "" },
        el("td", {}, rd.name), el("td", {}, pct(rd.meant)), el("td", {}, rd.reading),
        el("td", {}, pct(rd.perceived)), el("td", {}, `${signed(rd.gap)}${rd.flagged ? " ⚠" : ""}`)));
    }
    table.appendChild(body);
    box.appendChild(el("div", { class: "scroll" }, table));
    if (m.unseen_by.length) box.appendChild(el("p", { class: "note" }, `Not seen by: ${m.unseen_by.join(", ")}`));
  }
}

/* ------------------------------------------------------------ a team */

function teamSituation(view) {
  const s = view.situation;
  const box = section("situation", `${view.name}: what you perceive`);
  const change = s.tension_change === null ? "" : ` (${s.tension_change >= 0 ? "+" : ""}${pct(s.tension_change)} last turn)`;
  box.appendChild(el("p", { class: "big" }, `Your tension: ${pct(s.tension)}${change}`));
  if (s.credibility !== undefined) box.appendChild(el("p", {}, `How credible the others found your framing: ${pct(s.credibility)}`));
  box.appendChild(el("h3", {}, "What you believe about the others (0 = harmless, 1 = hostile)"));
  box.appendChild(el("ul", { class: "beliefs" }, s.beliefs.map((b) => el("li", {}, `${b.name}: ${b.word} (${pct(b.belief)})`))));
  if (s.own_move) box.appendChild(el("p", {}, `Your last move: ${s.own_move.label} (rung ${s.own_move.rung})`));
  if (s.readings.length) {
    box.appendChild(el("h3", {}, "How you read their moves last turn"));
    box.appendChild(el("ul", { class: "readings" }, s.readings.map((r) => el("li", {},
      r.seen ? `${r.name}: ${r.label}, read as ${r.reading} (${pct(r.perceived)})` : `${r.name}: you did not see its move`))));
  }
  if (view.framings.length) {
    box.appendChild(el("h3", {}, "Public statements you saw"));
    for (const f of view.framings) box.appendChild(el("p", {}, el("strong", {}, `${f.name}: `), el("q", { class: "framing" }, f.text)));
  }
  for (const d of s.due) box.appendChild(el("p", { class: "inject" }, `Coming this turn: ${d.label}`));
}

function teamForm(view) {
  const key = `${view.turn}|${view.played}|${view.ended}|${view.repertoire.map((m) => m.move).join(",")}`;
  const pendingBox = section("pending", "Your choice this turn");
  if (view.pending) {
    const chosen = view.repertoire.find((m) => m.move === view.pending.move);
    pendingBox.appendChild(el("p", { class: "big" }, `Submitted: ${chosen ? chosen.label : view.pending.move}`));
    if (view.pending.text) pendingBox.appendChild(el("p", {}, "Your public framing: ", el("q", { class: "framing" }, view.pending.text)));
    pendingBox.appendChild(el("p", { class: "note" }, "You may change it until the turn closes."));
    pendingBox.appendChild(el("button", { type: "button", class: "secondary", onclick: () => post("withdraw") }, "Take it back"));
  } else {
    pendingBox.appendChild(el("p", {}, view.ended || view.game_over ? "The game is over." : "Not submitted yet."));
  }
  if (state.formKey === key && $("choose")) return;
  state.formKey = key;
  if (view.played !== state.draft.played) state.draft = { move: "", text: "", claims: "", setClaims: false, played: view.played };
  const box = section("choose", "Choose your move");
  if (!view.repertoire.length) { box.remove(); return; }
  const options = view.repertoire.map((m) => el("label", { class: "option" },
    el("input", { type: "radio", name: "move", value: m.move, checked: state.draft.move === m.move, onchange: () => { state.draft.move = m.move; } }),
    ` ${m.label}`, el("span", { class: "meta" }, ` rung ${m.rung}${m.rung_label ? ` (${m.rung_label})` : ""} · cost ${pct(m.cost)}`)));
  const text = el("textarea", { id: "framing", rows: 3, maxlength: view.text_limit, placeholder: "What your state says in public (optional)", oninput: (e) => { state.draft.text = e.target.value; } });
  text.value = state.draft.text;
  const claims = el("input", { type: "number", id: "claims", min: 0, max: 1, step: 0.05, value: state.draft.claims, oninput: (e) => { state.draft.claims = e.target.value; } });
  const form = el("form", { class: "choose", onsubmit: async (e) => {
    e.preventDefault();
    if (!state.draft.move) { say("choose a move first", true); return; }
    const body = { move: state.draft.move, text: state.draft.text };
    if (state.draft.claims !== "") body.claims = Number(state.draft.claims);
    await post("submit", body);
  } },
  el("fieldset", {}, el("legend", {}, "Move (rung: how far up the ladder; cost: what it costs you)"), options),
  el("label", { for: "framing" }, "Your public framing, kept word for word in the record:"), text,
  el("label", { for: "claims" }, "How hostile your framing claims the move is, 0 to 1 (optional; empty: the move's usual wording level):"), claims,
  el("button", { type: "submit" }, "Submit"));
  box.appendChild(form);
}

function renderTeam(view) {
  header(view, view.name);
  teamForm(view);
  teamSituation(view);
  chartCard(view, "Your tension, turn by turn");
  revealCard(view);
}

/* ------------------------------------------------------------ the projector and the console */

function renderProjector(view) {
  header(view, "Projector");
  chartCard(view, "Tension of each state");
  revealCard(view);
  historyCard(view);
}

function consoleControls(view) {
  const box = section("controls", "This turn");
  box.appendChild(el("ul", { class: "teams" }, view.teams.map((t) => el("li", { class: t.submitted ? "done" : "" },
    `${t.name}: ${t.submitted ? "submitted ✓" : "waiting"}`))));
  box.appendChild(el("p", { class: "note" }, `A team that has not submitted when you close the turn plays ${view.absent === "model" ? "the model's move for it" : "no new signal"}.`));
  if (view.absent_last_turn.length) box.appendChild(el("p", { class: "note" }, `Last turn, played for a team that had not submitted: ${view.absent_last_turn.join(", ")}`));
  for (const inj of view.pending.injects) box.appendChild(el("p", { class: "inject" }, `Set to fire: ${inj}`));
  for (const ev of view.pending.events) box.appendChild(el("p", { class: "event" }, `Event: ${ev.name} (rung ${ev.rung}): “${ev.text}”`));
  const live = !view.ended && !view.game_over;
  box.appendChild(el("div", { class: "buttons" },
    el("button", { type: "button", disabled: !live, onclick: () => post("close") }, "Close the turn"),
    el("button", { type: "button", disabled: !view.played, onclick: () => post("reveal") }, "Reveal last turn"),
    el("button", { type: "button", class: "secondary", disabled: !live, onclick: () => post("undo_step") }, "Undo last inject/event"),
    el("button", { type: "button", class: "secondary", disabled: !view.played || view.ended, onclick: () => { if (confirm("Take back the last turn?")) post("undo_turn"); } }, "Undo last turn"),
    el("button", { type: "button", class: "secondary", disabled: !view.played, onclick: async () => { say("writing the class folder…"); const a = await post("finish"); if (a) say(`Written in the session folder: ${a.folder}/ (with report.html and handout.html) and briefs/`); } }, "Finish and write the class folder")));
}

function consoleInjects(view) {
  const box = section("injects", "Injects");
  box.appendChild(el("ul", { class: "injects" }, view.injects.map((i) => el("li", {},
    el("button", { type: "button", class: "small", disabled: !i.can_fire || view.ended, onclick: () => post("fire", { inject: i.inject }) }, "Fire"),
    ` ${i.label} `, el("span", { class: "meta" }, i.can_fire ? `(${i.when})` : `(${i.why_not || "cannot fire now"})`)))));
}

function consoleEvent(view) {
  const key = `event|${view.played}|${view.computer_actors.map((a) => a.actor).join(",")}`;
  if (state.eventKey === key && $("event")) return;
  state.eventKey = key;
  const box = section("event", "Invent an event");
  const actor = el("select", { id: "ev-actor" }, view.computer_actors.map((a) => el("option", { value: a.actor }, a.name)));
  const rung = el("input", { id: "ev-rung", type: "number", min: 0, max: view.top_rung, value: 1 });
  const intended = el("input", { id: "ev-intended", type: "number", min: 0, max: 1, step: 0.05, placeholder: "the move's" });
  const text = el("textarea", { id: "ev-text", rows: 2, maxlength: view.text_limit, placeholder: "What happens, in your words" });
  box.appendChild(el("form", { class: "event-form", onsubmit: async (e) => {
    e.preventDefault();
    const body = { actor: actor.value, rung: Number(rung.value), text: text.value };
    if (intended.value !== "") body.intended = Number(intended.value);
    if (await post("event", body)) text.value = "";
  } },
  el("label", { for: "ev-actor" }, "Who acts"), actor,
  el("label", { for: "ev-rung" }, `Rung (0 to ${view.top_rung})`), rung,
  el("label", { for: "ev-intended" }, "How hostile it is meant, 0 to 1 (optional)"), intended,
  el("label", { for: "ev-text" }, "What happens (kept word for word)"), text,
  el("button", { type: "submit" }, "Add the event")));
}

function consoleLinks(view) {
  const box = section("links", "Links (each opens one role: keep them to their teams)");
  const full = (path) => `${location.origin}${path}`;
  const list = el("ul", { class: "links" },
    el("li", {}, "Projector: ", el("code", {}, full(view.links.projector))),
    view.teams.map((t) => el("li", {}, `${t.name}: `, el("code", {}, full(t.link)), " ",
      el("button", { type: "button", class: "small secondary", onclick: () => { if (confirm(`Give ${t.name} a new link? The old one stops working.`)) post("regenerate", { team: t.actor }); } }, "New link"))));
  box.appendChild(list);
}

function renderConsole(view) {
  header(view, "Console");
  consoleControls(view);
  consoleInjects(view);
  consoleEvent(view);
  chartCard(view, "Tension of each state");
  revealCard(view);
  historyCard(view);
  consoleLinks(view);
}

function render(view) {
  if (view.error) say(view.error, true);
  if (view.role === "team") renderTeam(view);
  else if (view.role === "console") renderConsole(view);
  else renderProjector(view);
}

if (token) poll();
