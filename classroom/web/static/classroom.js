// Shared by the console and the student page: requests, the version stream, DOM building
// (textContent only: nothing received is ever parsed as HTML), the two languages.
"use strict";

const Classroom = (() => {
  const LANG_KEY = "sanzhi-classroom-lang";

  function lang() {
    const stored = localStorage.getItem(LANG_KEY);
    return stored === "en" ? "en" : "zh";
  }

  function setLang(value) {
    localStorage.setItem(LANG_KEY, value === "en" ? "en" : "zh");
    document.documentElement.lang = value === "en" ? "en" : "zh-CN";
  }

  // words: {key: [zh, en]}
  function tr(words, key) {
    const pair = words[key];
    if (!pair) return key;
    return lang() === "en" ? pair[1] : pair[0];
  }

  function translate(words, root) {
    for (const node of (root || document).querySelectorAll("[data-t]")) {
      node.textContent = tr(words, node.dataset.t);
    }
    for (const node of (root || document).querySelectorAll("[data-t-placeholder]")) {
      node.placeholder = tr(words, node.dataset.tPlaceholder);
    }
  }

  // el("div", {class: "x", dataset: {role: "a"}}, "text", child) — text goes in as text.
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (key === "class") node.className = value;
      else if (key === "dataset") Object.assign(node.dataset, value);
      else if (key === "text") node.textContent = value;
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else if (key in node && typeof value !== "string") node[key] = value;
      else node.setAttribute(key, value === true ? "" : String(value));
    }
    for (const child of children) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function svg(tag, attrs) {
    const node = document.createElementNS("http://www.w3.org/2000/svg", tag);
    for (const [key, value] of Object.entries(attrs || {})) node.setAttribute(key, String(value));
    return node;
  }

  function reason(data) {
    if (!data) return "";
    return lang() === "en" ? data.reason_en || "" : data.reason_zh || data.reason_en || "";
  }

  async function api(path, options) {
    const opts = options || {};
    const headers = Object.assign({}, opts.headers || {});
    const init = { method: opts.method || "GET", headers, cache: "no-store" };
    if (opts.body !== undefined) {
      headers["content-type"] = "application/json";
      init.body = JSON.stringify(opts.body);
      init.method = opts.method || "POST";
    }
    let response;
    try {
      response = await fetch(path, init);
    } catch (err) {
      return { ok: false, status: 0, data: { reason_en: "No connection to the classroom server.", reason_zh: "无法连接课堂服务器。" } };
    }
    let data = null;
    try {
      data = await response.json();
    } catch (err) {
      data = null;
    }
    return { ok: response.ok, status: response.status, data };
  }

  // Calls onVersion(n) whenever the server's version changes (and once on connecting).
  // EventSource reconnects by itself; the server ends each stream after a while.
  function watch(onVersion, onState) {
    let source = null;
    function open() {
      source = new EventSource("/api/events");
      source.addEventListener("version", (event) => {
        const n = Number(event.data);
        if (Number.isFinite(n)) onVersion(n);
      });
      source.addEventListener("open", () => onState && onState(true));
      source.addEventListener("error", () => onState && onState(false));
    }
    open();
    return () => source && source.close();
  }

  function format(value, digits) {
    if (value === null || value === undefined) return "–";
    if (typeof value === "boolean") return value ? "✓" : "✗";
    const n = Number(value);
    if (!Number.isFinite(n)) return "–";
    const d = digits === undefined ? (Math.abs(n) >= 100 ? 0 : Math.abs(n) >= 10 ? 1 : 2) : digits;
    return n.toLocaleString(lang() === "en" ? "en-US" : "zh-CN", { maximumFractionDigits: d, minimumFractionDigits: 0 });
  }

  // A small line chart of numbers (nulls are gaps) as an SVG element.
  function sparkline(values, width, height) {
    const w = width || 220, h = height || 56, pad = 3;
    const root = svg("svg", { viewBox: `0 0 ${w} ${h}`, width: w, height: h, class: "spark", role: "img" });
    const nums = values.filter((v) => typeof v === "number" && Number.isFinite(v));
    if (nums.length === 0) return root;
    let lo = Math.min(...nums), hi = Math.max(...nums);
    if (hi - lo < 1e-12) { lo -= 1; hi += 1; }
    const x = (i) => pad + (values.length <= 1 ? 0 : (i * (w - 2 * pad)) / (values.length - 1));
    const y = (v) => h - pad - ((v - lo) * (h - 2 * pad)) / (hi - lo);
    let d = "", pen = false;
    values.forEach((v, i) => {
      if (typeof v !== "number" || !Number.isFinite(v)) { pen = false; return; }
      d += `${pen ? "L" : "M"}${x(i).toFixed(1)},${y(v).toFixed(1)}`;
      pen = true;
    });
    root.append(svg("path", { d, fill: "none", stroke: "currentColor", "stroke-width": 2 }));
    return root;
  }

  return { lang, setLang, tr, translate, el, svg, api, watch, reason, format, sparkline };
})();
