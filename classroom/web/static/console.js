// The instructor's console on the projector. The instructor token comes in the URL's
// fragment (#token=..., never sent to the server), is kept in this tab's sessionStorage and
// wiped from the address bar at once, so the projected screen never shows it.
"use strict";

(() => {
  const C = Classroom;
  const KEY = "sanzhi-classroom-instructor";
  const W = {
    title: ["三治融合课堂 · 教师控制台", "Sanzhi classroom · console"],
    join_with: ["扫码或输入代码加入", "Scan or type the code to join"],
    round: ["轮次", "Round"],
    day: ["模拟日", "Day"],
    start: ["开始", "Start"],
    pause: ["暂停", "Pause"],
    resume: ["继续", "Resume"],
    advance: ["推进一轮", "Advance a round"],
    advancing: ["推进中…", "Advancing…"],
    end: ["结束并复盘", "End and debrief"],
    ending: ["正在生成复盘…", "Writing the debrief…"],
    show_city: ["向学生显示全市数据", "Show the city to students"],
    hide_city: ["向学生隐藏全市数据", "Hide the city from students"],
    auto: ["时间到自动推进", "Advance when time is up"],
    round_days: ["每轮天数", "Days a round"],
    decision_seconds: ["决定时限（秒）", "Seconds to decide"],
    apply: ["应用", "Apply"],
    roster: ["学生名单", "Students"],
    joined: ["已加入", "Joined"],
    roles: ["角色与认领", "Roles"],
    map: ["网格地图", "Grid map"],
    good: ["较好", "better"],
    bad: ["较差", "worse"],
    series: ["关键指标", "Key series"],
    decisions: ["上一轮的决定", "Decisions of the last round"],
    lobby: ["等待开始", "Lobby"],
    running: ["进行中", "Running"],
    paused: ["已暂停", "Paused"],
    ended: ["已结束", "Ended"],
    free: ["空缺", "free"],
    decided: ["已提交", "decided"],
    waiting: ["未提交", "not yet"],
    no_role: ["未选角色", "no role"],
    left: ["剩余", "left"],
    time_up: ["时间到", "time is up"],
    folder: ["复盘文件夹", "Debrief folder"],
    no_token: ["请使用 sanzhi classroom 打印的控制台链接打开此页（含教师令牌）。",
      "Open this page with the console link `sanzhi classroom` printed (it holds the instructor token)."],
    grid: ["网格", "Grid"],
    community: ["社区", "Community"],
    none_yet: ["（暂无）", "(none yet)"],
    other_lang: ["English", "中文"],
    roles_on_offer: ["开放的角色（开始前可改）", "Roles on offer (before the start)"],
    no_kind: ["至少开放一类角色。", "Offer at least one kind of role."],
    grid_worker: ["网格员", "Grid workers"],
    legal_advisor: ["社区法律顾问", "Legal advisors"],
    party_secretary: ["社区党组织书记", "Party secretaries"],
    residents_rep: ["居民代表", "Residents' representatives"],
    moral_office: ["德治工作办公室", "Moral-governance office"],
  };
  // The session's role kinds (classroom/roles.py KINDS), in its order.
  const KINDS = ["grid_worker", "legal_advisor", "party_secretary", "residents_rep", "moral_office"];
  const $ = (id) => document.getElementById(id);
  const state = { token: null, view: null, version: -1, fetching: false, again: false, deadline: null, autoRound: null, qrFor: null, busy: false, kindsEdited: false };

  function takeToken() {
    const hash = new URLSearchParams(location.hash.replace(/^#/, ""));
    const fromHash = hash.get("token");
    if (fromHash) {
      sessionStorage.setItem(KEY, fromHash);
      history.replaceState(null, "", location.pathname);
    }
    return sessionStorage.getItem(KEY);
  }

  function showError(data) {
    $("error").textContent = data ? C.reason(data) : "";
  }

  async function act(action, body) {
    showError(null);
    state.busy = action === "advance" || action === "end";
    if (state.busy) {
      $("advance").disabled = true;
      $("end").disabled = true;
      if (action === "advance") $("advance").textContent = C.tr(W, "advancing");
      if (action === "end") $("end").textContent = C.tr(W, "ending");
    }
    const r = await C.api("/api/instructor/" + action, { body: body || {}, headers: { "x-instructor-token": state.token } });
    state.busy = false;
    $("advance").textContent = C.tr(W, "advance");
    $("end").textContent = C.tr(W, "end");
    if (!r.ok) showError(r.data);
    refresh();
    return r;
  }

  async function refresh() {
    if (state.fetching) { state.again = true; return; }
    state.fetching = true;
    try {
      const r = await C.api("/api/console?lang=" + C.lang(), { headers: { "x-instructor-token": state.token || "" } });
      if (!r.ok) {
        showError(r.status === 403 ? { reason_zh: W.no_token[0], reason_en: W.no_token[1] } : r.data);
        return;
      }
      state.view = r.data;
      render(r.data);
    } finally {
      state.fetching = false;
      if (state.again) { state.again = false; refresh(); }
    }
  }

  function render(v) {
    $("main").classList.remove("hidden");
    $("scenario").textContent = v.scenario ? `· ${v.scenario}` : "";
    $("code").textContent = v.code;
    $("join-url").textContent = v.join_url;
    if (state.qrFor !== v.join_url) {
      // The server's own SVG (made by segno from the join URL), parsed as SVG, not HTML.
      const doc = new DOMParser().parseFromString(v.qr_svg, "image/svg+xml");
      const node = doc.documentElement;
      if (node && node.nodeName.toLowerCase() === "svg") {
        const svg = document.importNode(node, true);
        const w = svg.getAttribute("width"), h = svg.getAttribute("height");
        if (w && h) {
          svg.setAttribute("viewBox", `0 0 ${w} ${h}`);
          svg.removeAttribute("width");
          svg.removeAttribute("height");
        }
        $("qr").replaceChildren(svg);
        state.qrFor = v.join_url;
      }
    }
    $("phase").textContent = C.tr(W, v.phase);
    $("phase").dataset.phase = v.phase;
    $("round").textContent = String(v.round);
    $("day").textContent = String(v.day);
    $("round-days").textContent = String(v.round_days);
    $("decision-seconds").textContent = v.decision_seconds === null ? "–" : String(v.decision_seconds);
    const left = v.deadline_seconds_left;
    state.deadline = typeof left === "number" ? performance.now() + left * 1000 : null;
    const phase = v.phase;
    const busy = state.busy || v.advancing;
    $("start").disabled = phase !== "lobby";
    $("pause").disabled = phase !== "running";
    $("resume").disabled = phase !== "paused";
    $("advance").disabled = phase !== "running" || busy;
    $("end").disabled = phase === "ended" || busy;
    $("toggle-city").textContent = C.tr(W, v.city_shown ? "hide_city" : "show_city");
    $("toggle-city").dataset.shown = v.city_shown ? "yes" : "no";
    $("folder").textContent = v.folder ? `${C.tr(W, "folder")}: ${v.folder}` : "";
    renderKinds(v);
    renderRoster(v);
    renderRoles(v);
    renderMap(v);
    renderSeries(v);
    renderDecisions(v);
    tick();
    document.body.dataset.version = String(v.version);
  }

  function renderRoster(v) {
    $("count").textContent = String(v.roster.length);
    const names = Object.fromEntries(v.roles.map((r) => [r.id, r.name]));
    const labels = Object.fromEntries(v.roles.map((r) => [r.id, r.lever_labels || {}]));
    $("roster").replaceChildren(
      ...v.roster.map((s) =>
        C.el(
          "tr",
          { class: "student", dataset: { role: s.role_id || "", decided: s.decided ? "yes" : "no" } },
          C.el("td", {}, s.name),
          C.el("td", {}, s.role_id ? names[s.role_id] || s.role_id : C.tr(W, "no_role")),
          C.el("td", {}, s.role_id ? C.tr(W, s.decided ? "decided" : "waiting") : "")
        )
      )
    );
  }

  function renderRoles(v) {
    const decided = new Set(v.roster.filter((s) => s.decided).map((s) => s.role_id));
    $("roles").replaceChildren(
      ...v.roles.map((r) =>
        C.el(
          "tr",
          { class: "role", dataset: { role: r.id, taken: r.taken ? "yes" : "no" } },
          C.el("td", {}, r.name),
          C.el("td", { class: "claimed-by" }, r.claimed_by || C.tr(W, "free")),
          C.el("td", {}, r.taken ? C.tr(W, decided.has(r.id) ? "decided" : "waiting") : "")
        )
      )
    );
  }

  function betterOf(v, name) {
    const row = (v.city || []).find((m) => m.name === name);
    return row ? row.better : "lower";
  }

  function renderMap(v) {
    const map = v.grid_map;
    const select = $("map-metric");
    const chosen = select.value || (map.metrics[0] && map.metrics[0].name);
    select.replaceChildren(...map.metrics.map((m) => C.el("option", { value: m.name, selected: m.name === chosen }, m.label)));
    select.value = chosen;
    const metric = map.metrics.find((m) => m.name === chosen) || map.metrics[0];
    const values = map.grids.map((g) => g[metric.name]).filter((x) => typeof x === "number");
    const lo = Math.min(...values), hi = Math.max(...values);
    const better = betterOf(v, metric.name);
    $("tiles").replaceChildren(
      ...map.grids.map((g) => {
        const x = g[metric.name];
        const tile = C.el(
          "div",
          { class: "tile", dataset: { grid: String(g.grid), community: String(g.community) }, title: `${C.tr(W, "grid")} ${g.grid + 1} · ${C.tr(W, "community")} ${g.community + 1}` },
          C.el("span", {}, `${g.grid + 1}·${g.community + 1}`),
          C.el("b", {}, C.format(x))
        );
        if (typeof x === "number" && hi > lo) {
          let bad = (x - lo) / (hi - lo);
          if (better === "higher") bad = 1 - bad;
          tile.style.background = `hsl(${Math.round(120 * (1 - bad))}, 55%, 72%)`;
        } else {
          tile.style.background = "hsl(60, 30%, 85%)";
        }
        return tile;
      })
    );
  }

  function renderSeries(v) {
    const s = v.series;
    $("series").replaceChildren(
      ...s.series.map((one) => {
        const last = [...one.values].reverse().find((x) => typeof x === "number");
        return C.el(
          "div",
          { class: "chart", dataset: { metric: one.name } },
          C.el("div", { class: "muted" }, one.label, " ", C.el("b", {}, C.format(last)), " ", one.unit || ""),
          C.sparkline(one.values, 240, 56)
        );
      })
    );
  }

  function renderDecisions(v) {
    const rows = v.last_decisions || [];
    const names = Object.fromEntries(v.roles.map((r) => [r.id, r.name]));
    const labels = Object.fromEntries(v.roles.map((r) => [r.id, r.lever_labels || {}]));
    $("decisions").replaceChildren(
      ...(rows.length === 0
        ? [C.el("tr", {}, C.el("td", {}, C.tr(W, "none_yet")))]
        : rows.map((d) =>
            C.el(
              "tr",
              { class: "decision" },
              C.el("td", {}, d.student),
              C.el("td", {}, names[d.role_id] || d.role_id),
              C.el("td", {}, (labels[d.role_id] || {})[d.key] || d.key),
              C.el("td", {}, C.format(d.value))
            )
          ))
    );
  }

  function tick() {
    const v = state.view;
    if (!v) return;
    if (v.phase !== "running" || state.deadline === null) {
      $("countdown").textContent = "";
      return;
    }
    const left = Math.max(0, Math.ceil((state.deadline - performance.now()) / 1000));
    $("countdown").textContent = left > 0 ? `${C.tr(W, "left")} ${Math.floor(left / 60)}:${String(left % 60).padStart(2, "0")}` : C.tr(W, "time_up");
    if (left === 0 && $("auto").checked && !state.busy && !v.advancing && state.autoRound !== v.round) {
      state.autoRound = v.round;
      act("advance");
    }
  }

  // One checkbox a kind, checked as the session offers them; an edit not yet applied is
  // kept when another change refreshes the page.
  function renderKinds(v) {
    const box = $("cfg-kinds");
    for (const kind of KINDS) {
      let input = document.getElementById("kind-" + kind);
      if (!input) {
        const label = document.createElement("label");
        input = document.createElement("input");
        input.type = "checkbox";
        input.id = "kind-" + kind;
        input.value = kind;
        input.addEventListener("change", () => { state.kindsEdited = true; });
        const text = document.createElement("span");
        text.dataset.t = kind;
        text.textContent = C.tr(W, kind);
        label.append(input, text);
        box.append(label);
      }
      if (!state.kindsEdited) input.checked = v.kinds.includes(kind);
      input.disabled = v.phase !== "lobby";
    }
  }

  function applyLang() {
    C.translate(W);
    $("lang").textContent = C.tr(W, "other_lang");
    document.title = C.tr(W, "title");
  }

  document.addEventListener("DOMContentLoaded", () => {
    C.setLang(C.lang());
    applyLang();
    state.token = takeToken();
    if (!state.token) {
      showError({ reason_zh: W.no_token[0], reason_en: W.no_token[1] });
      return;
    }
    for (const action of ["start", "pause", "resume", "advance", "end"]) {
      $(action).addEventListener("click", () => act(action));
    }
    $("toggle-city").addEventListener("click", () => act("show_city", { shown: !(state.view && state.view.city_shown) }));
    $("map-metric").addEventListener("change", () => state.view && renderMap(state.view));
    $("configure").addEventListener("submit", (event) => {
      event.preventDefault();
      const body = {};
      const days = Number($("cfg-days").value), secs = Number($("cfg-seconds").value);
      if ($("cfg-days").value && Number.isInteger(days)) body.round_days = days;
      if ($("cfg-seconds").value && Number.isInteger(secs)) body.decision_seconds = secs;
      if (state.view && state.view.phase === "lobby" && state.kindsEdited) {
        const kinds = KINDS.filter((k) => $("kind-" + k).checked);
        if (kinds.length === 0) {
          showError({ reason_zh: W.no_kind[0], reason_en: W.no_kind[1] });
          return;
        }
        body.kinds = kinds;
        state.kindsEdited = false;
      }
      act("configure", body);
    });
    $("lang").addEventListener("click", () => {
      C.setLang(C.lang() === "en" ? "zh" : "en");
      applyLang();
      refresh();
    });
    setInterval(tick, 1000);
    C.watch((version) => {
      if (version !== state.version) { state.version = version; refresh(); }
    });
    refresh();
  });
})();
