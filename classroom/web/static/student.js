// The student's phone page: join with the code and a name, pick a role, set its levers,
// see the own area next to the city. The token stays in localStorage, so a reload (or a
// dropped connection) gets the same student and role back.
"use strict";

(() => {
  const C = Classroom;
  const TOKEN_KEY = "sanzhi-classroom-token";
  const W = {
    title: ["三治融合课堂", "Sanzhi classroom"],
    join_title: ["加入课堂", "Join the class"],
    code: ["课堂代码", "Class code"],
    name: ["你的名字", "Your name"],
    join: ["加入", "Join"],
    you: ["你", "You"],
    phase: ["阶段", "Phase"],
    round: ["轮次", "Round"],
    day: ["模拟日", "Day"],
    pick_role: ["选择你的角色", "Pick your role"],
    your_role: ["你的角色", "Your role"],
    submit: ["提交决定", "Submit decision"],
    release: ["换角色", "Change role"],
    area_title: ["你负责的区域 vs 全市", "Your area vs the city"],
    taken: ["已被选择", "taken"],
    lobby: ["等待开始", "waiting to start"],
    running: ["进行中", "running"],
    paused: ["已暂停", "paused"],
    ended: ["已结束", "ended"],
    left: ["剩余时间", "Time left"],
    time_up: ["时间到", "Time is up"],
    no_deadline: ["", ""],
    in_force: ["现行", "in force"],
    decided: ["已提交，下一轮生效 ✓", "Submitted, applies next round ✓"],
    not_decided: ["尚未提交（不提交则维持现行）", "Not submitted yet (nothing changes if you don't)"],
    on: ["开", "on"],
    off: ["关", "off"],
    own: ["本区域", "your area"],
    city: ["全市", "city"],
    hidden_city: ["（教师已隐藏全市数据）", "(city values hidden by the instructor)"],
    better: ["好于全市", "better than the city"],
    worse: ["差于全市", "worse than the city"],
    other_lang: ["English", "中文"],
    ended_note: ["课堂已结束，谢谢参与！", "The class has ended. Thank you!"],
  };
  const $ = (id) => document.getElementById(id);
  const state = {
    token: localStorage.getItem(TOKEN_KEY),
    view: null,
    version: -1,
    fetching: false,
    again: false,
    leverKey: null, // role, round and language the lever controls were built for
    draft: {},
    deadline: null,
  };

  function showError(data) {
    $("error").textContent = data ? C.reason(data) : "";
  }

  function headers() {
    return { "x-student-token": state.token || "" };
  }

  function showJoin() {
    $("join").classList.remove("hidden");
    $("play").classList.add("hidden");
    const code = new URLSearchParams(location.search).get("code");
    if (code && !$("code").value) $("code").value = code.toUpperCase().slice(0, 12);
    document.body.dataset.joined = "no";
  }

  async function join(event) {
    event.preventDefault();
    showError(null);
    $("join-button").disabled = true;
    const r = await C.api("/api/join", {
      body: { code: $("code").value.trim(), name: $("name").value, lang: C.lang() },
    });
    $("join-button").disabled = false;
    if (!r.ok) return showError(r.data);
    state.token = r.data.token;
    localStorage.setItem(TOKEN_KEY, state.token);
    refresh();
  }

  // Fetch the own view; one request at a time, one more if the version moved meanwhile.
  async function refresh() {
    if (!state.token) return showJoin();
    if (state.fetching) { state.again = true; return; }
    state.fetching = true;
    try {
      const r = await C.api("/api/student", { headers: headers() });
      if (r.status === 403 || r.status === 404) {
        localStorage.removeItem(TOKEN_KEY);
        state.token = null;
        state.view = null;
        showError(r.data);
        return showJoin();
      }
      if (!r.ok) return showError(r.data);
      state.view = r.data;
      if (r.data.lang && r.data.lang !== C.lang()) {
        // this device's choice wins; tell the server
        C.api("/api/lang", { body: { lang: C.lang() }, headers: headers() });
      }
      await render(r.data);
    } finally {
      state.fetching = false;
      if (state.again) { state.again = false; refresh(); }
    }
  }

  async function render(view) {
    $("join").classList.add("hidden");
    $("play").classList.remove("hidden");
    document.body.dataset.joined = "yes";
    $("me").textContent = view.name || "";
    $("phase").textContent = C.tr(W, view.phase);
    $("phase").dataset.phase = view.phase;
    $("round").textContent = String(view.round);
    $("day").textContent = String(view.day);
    const left = view.deadline_seconds_left;
    state.deadline = typeof left === "number" ? performance.now() + left * 1000 : null;
    tick();
    if (view.role) {
      $("pick").classList.add("hidden");
      $("mine").classList.remove("hidden");
      $("role-name").textContent = view.role.name;
      $("role-name").dataset.role = view.role.id;
      renderLevers(view);
      renderArea(view);
    } else {
      $("mine").classList.add("hidden");
      $("area").classList.add("hidden");
      state.leverKey = null;
      await renderRoles();
    }
    if (view.phase === "ended") $("decided").textContent = C.tr(W, "ended_note");
    document.body.dataset.version = String(view.version);
    document.body.dataset.role = view.role ? view.role.id : "";
  }

  async function renderRoles() {
    const r = await C.api("/api/lobby?lang=" + C.lang());
    if (!r.ok) return showError(r.data);
    $("pick").classList.remove("hidden");
    const list = $("roles");
    list.replaceChildren(
      ...r.data.roles.map((role) =>
        C.el(
          "button",
          {
            type: "button",
            class: "role-option" + (role.taken ? " taken" : ""),
            dataset: { role: role.id },
            disabled: role.taken || state.view.phase === "ended",
            onclick: () => claim(role.id),
          },
          role.name,
          role.taken ? ` (${C.tr(W, "taken")})` : ""
        )
      )
    );
  }

  async function claim(roleId) {
    showError(null);
    const r = await C.api("/api/claim", { body: { role_id: roleId }, headers: headers() });
    if (!r.ok) showError(r.data);
    refresh();
  }

  async function release() {
    showError(null);
    const r = await C.api("/api/release", { body: {}, headers: headers() });
    if (!r.ok) showError(r.data);
    state.draft = {};
    refresh();
  }

  function shown(lever) {
    if (lever.key in state.draft) return state.draft[lever.key];
    if (lever.has_pending && lever.pending !== null) return lever.pending;
    return lever.value;
  }

  function valueText(lever, value) {
    if (lever.kind === "bool") return value ? C.tr(W, "on") : C.tr(W, "off");
    if (lever.kind === "choice") {
      const found = (lever.choices || []).find((c) => c.value === value);
      return found ? found.label : String(value);
    }
    return C.format(value, lever.kind === "int" ? 0 : 2);
  }

  function renderLevers(view) {
    const key = [view.role.id, view.round, view.lang, view.phase].join("|");
    const open = view.phase === "running";
    if (key !== state.leverKey) {
      if (!state.leverKey || state.leverKey.split("|").slice(0, 2).join("|") !== key.split("|").slice(0, 2).join("|")) {
        state.draft = {};
      }
      state.leverKey = key;
      $("levers").replaceChildren(...view.levers.map((lever) => leverControl(lever, open)));
    }
    for (const lever of view.levers) {
      const box = $("levers").querySelector(`.lever[data-key="${CSS.escape(lever.key)}"]`);
      if (!box) continue;
      box.querySelector(".in-force").textContent = `${C.tr(W, "in_force")}: ${valueText(lever, lever.value)}`;
    }
    $("submit").disabled = !open || timeUp();
    $("decided").textContent = C.tr(W, view.decided ? "decided" : "not_decided");
    $("decided").dataset.decided = view.decided ? "yes" : "no";
  }

  function leverControl(lever, open) {
    const value = shown(lever);
    const out = C.el("span", { class: "value" }, valueText(lever, value));
    let input;
    if (lever.kind === "bool") {
      input = C.el("input", {
        type: "checkbox",
        checked: Boolean(value),
        disabled: !open,
        onchange: () => { state.draft[lever.key] = input.checked; out.textContent = valueText(lever, input.checked); },
      });
      input.setAttribute("aria-label", lever.label);
    } else if (lever.kind === "choice") {
      input = C.el(
        "select",
        {
          disabled: !open,
          onchange: () => { state.draft[lever.key] = input.value; out.textContent = valueText(lever, input.value); },
        },
        ...lever.choices.map((c) => C.el("option", { value: c.value }, c.label))
      );
      input.value = String(value === null || value === undefined ? lever.choices[0].value : value);
      input.setAttribute("aria-label", lever.label);
    } else {
      const step = lever.step || (lever.kind === "int" ? 1 : (lever.high - lever.low) / 100);
      input = C.el("input", {
        type: "range",
        min: String(lever.low),
        max: String(lever.high),
        step: String(step),
        disabled: !open,
        oninput: () => {
          const v = lever.kind === "int" ? Math.round(Number(input.value)) : Number(input.value);
          state.draft[lever.key] = v;
          out.textContent = valueText(lever, v);
        },
      });
      input.value = String(value === null || value === undefined ? lever.low : value);
      input.setAttribute("aria-label", lever.label);
    }
    const head = C.el("div", { class: "head" }, C.el("span", { class: "label" }, lever.label), out);
    const control = lever.kind === "bool" ? C.el("label", { class: "switch" }, input, lever.label) : input;
    return C.el(
      "div",
      { class: "lever", dataset: { key: lever.key, kind: lever.kind } },
      head,
      control,
      C.el("div", { class: "in-force muted" }),
      C.el("div", { class: "help" }, lever.help || "")
    );
  }

  async function submit() {
    showError(null);
    const values = {};
    for (const lever of state.view.levers) values[lever.key] = shown(lever);
    $("submit").disabled = true;
    const r = await C.api("/api/decide", { body: { values }, headers: headers() });
    $("submit").disabled = false;
    if (!r.ok) showError(r.data);
    refresh();
  }

  function renderArea(view) {
    if (!view.area) return $("area").classList.add("hidden");
    $("area").classList.remove("hidden");
    $("metrics").replaceChildren(
      ...view.area.map((m) => {
        let verdict = "";
        if (typeof m.own === "number" && typeof m.city === "number" && m.own !== m.city) {
          const higher = m.own > m.city;
          verdict = (m.better === "higher") === higher ? "better" : "worse";
        }
        return C.el(
          "div",
          { class: "metric " + verdict, dataset: { metric: m.name } },
          C.el("div", { class: "label" }, m.label),
          C.el("div", { class: "own" }, C.format(m.own), " ", C.el("small", {}, m.unit || "")),
          C.el(
            "div",
            { class: "city" },
            m.city === null || m.city === undefined
              ? C.tr(W, "hidden_city")
              : `${C.tr(W, "city")}: ${C.format(m.city)}` + (verdict ? ` · ${C.tr(W, verdict)}` : "")
          )
        );
      })
    );
  }

  function timeUp() {
    return state.deadline !== null && performance.now() >= state.deadline;
  }

  function tick() {
    const view = state.view;
    const box = $("countdown");
    if (!view || view.phase !== "running" || state.deadline === null) {
      box.textContent = view && view.phase !== "running" ? C.tr(W, view.phase) : "";
      return;
    }
    const left = Math.max(0, Math.ceil((state.deadline - performance.now()) / 1000));
    box.textContent = left > 0 ? `${C.tr(W, "left")} ${Math.floor(left / 60)}:${String(left % 60).padStart(2, "0")}` : C.tr(W, "time_up");
    if (left === 0) $("submit").disabled = true;
  }

  async function switchLang() {
    C.setLang(C.lang() === "en" ? "zh" : "en");
    applyLang();
    state.leverKey = null;
    if (state.token) {
      await C.api("/api/lang", { body: { lang: C.lang() }, headers: headers() });
      refresh();
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
    $("join-form").addEventListener("submit", join);
    $("submit").addEventListener("click", submit);
    $("release").addEventListener("click", release);
    $("lang").addEventListener("click", switchLang);
    setInterval(tick, 1000);
    if (!state.token) showJoin();
    C.watch((version) => {
      if (version !== state.version) {
        state.version = version;
        refresh();
      }
    });
    refresh();
  });
})();
