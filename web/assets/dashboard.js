// dashboard.js: the ratecycle dashboard's panels. Every number comes from the JSON API
// (/api/v1/...); charts are drawn by window.ratecycleCharts.draw from report.Chart specs,
// exactly as in the HTML report.
(function () {
  "use strict";
  var F = window.RATECYCLE_FEATURES || {};
  var root = document.documentElement;
  var pending = 0;
  var drawn = 0;

  function $(id) { return document.getElementById(id); }
  function busy(d) {
    pending += d;
    root.setAttribute("data-busy", String(pending));
  }

  // api fetches JSON and turns {"error": "..."} answers into rejected promises.
  function api(url, init) {
    busy(1);
    return fetch(url, init).then(function (r) {
      return r.json().catch(function () { return { error: r.status + " " + r.statusText }; }).then(function (j) {
        if (!r.ok) { throw new Error(j.error || (r.status + " " + r.statusText)); }
        return j;
      });
    }).finally(function () { busy(-1); });
  }
  function idPath(id) { return id.split("/").map(encodeURIComponent).join("/"); }
  function query(o) {
    var p = new URLSearchParams();
    Object.keys(o).forEach(function (k) { if (o[k] !== "" && o[k] != null) { p.set(k, o[k]); } });
    var s = p.toString();
    return s ? "?" + s : "";
  }

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    if (attrs) { Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); }); }
    if (text != null) { e.textContent = text; }
    return e;
  }
  function isNum(s) { return typeof s === "string" && /^[+-]?[0-9][0-9.,]*(%|bp)?$/.test(s.trim()) || s === "-"; }
  // table renders columns and rows of strings into container c.
  function table(c, title, columns, rows) {
    var t = el("table");
    if (title) { t.appendChild(el("caption", null, title)); }
    var th = el("thead"), tr = el("tr");
    columns.forEach(function (h) { tr.appendChild(el("th", null, h)); });
    th.appendChild(tr);
    t.appendChild(th);
    var tb = el("tbody");
    rows.forEach(function (r) {
      var row = el("tr");
      r.forEach(function (v) {
        var cell = v;
        var cls = null;
        if (v && typeof v === "object") { cell = v.text; cls = v.cls; }
        var td = el("td", null, cell == null ? "" : String(cell));
        if (cls) { td.className = cls; } else if (isNum(String(cell))) { td.className = "num"; }
        row.appendChild(td);
      });
      tb.appendChild(row);
    });
    t.appendChild(tb);
    // Right-align the header of columns whose cells are all numbers.
    [].forEach.call(tr.children, function (h, j) {
      var cells = [].map.call(tb.rows, function (r) { return r.cells[j]; }).filter(function (td) { return td && td.textContent !== "" && td.textContent !== "-"; });
      if (cells.length && cells.every(function (td) { return td.className === "num"; })) { h.className = "num"; }
    });
    c.replaceChildren(t);
    return t;
  }
  function notes(c, lines) {
    c.replaceChildren();
    (lines || []).forEach(function (n) { c.appendChild(el("p", null, n)); });
  }
  function showError(c, err) {
    c.replaceChildren(el("p", { "class": "error", role: "alert" }, String(err && err.message || err)));
  }
  function draw(id, spec) {
    window.ratecycleCharts.draw($(id), spec);
    drawn++;
    root.setAttribute("data-charts-drawn", String(drawn));
  }
  function fmt(v, d) { return v == null || isNaN(v) ? "" : (+v).toFixed(d); }
  function pct(v, d) { return v == null || isNaN(v) ? "" : ((+v) * 100).toFixed(d == null ? 2 : d) + "%"; }
  function signed(v, d) { return v == null ? "" : (v > 0 ? "+" : "") + (+v).toFixed(d); }

  // bind wires a form's submit to run(formData) with the button disabled meanwhile.
  function bind(formId, run) {
    var f = $(formId);
    if (!f) { return; }
    f.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var b = f.querySelector("button");
      b.disabled = true;
      Promise.resolve().then(function () { return run(new FormData(f), f); }).finally(function () { b.disabled = false; });
    });
  }
  function values(fd) {
    var o = {};
    fd.forEach(function (v, k) { if (typeof v === "string") { o[k] = v.trim(); } });
    return o;
  }
  function hasFile(fd, name) { var v = fd.get(name); return v && typeof v === "object" && v.size > 0; }

  // ---- Fed cycles ----
  function byDate(s) { var m = {}; s.dates.forEach(function (d, i) { m[d] = s.values[i]; }); return m; }
  function loadCycles() {
    return Promise.all([
      api("/api/v1/cycles"),
      api("/api/v1/series/fred/DFF" + query({ resample: "weekly" })),
      api("/api/v1/series/fred/DFEDTAR" + query({ resample: "weekly" })),
      api("/api/v1/series/fred/DFEDTARU" + query({ resample: "weekly" }))
    ]).then(function (res) {
      var cy = res[0], dff = res[1], tgt = byDate(res[2]), upper = byDate(res[3]);
      var cur = cy.current || {};
      var easing = cy.cycles.filter(function (c) { return c.direction === "easing"; });
      $("cycles-lead").textContent = "Policy-rate data to " + cy.data_end + ": regime " + cur.regime +
        (cur.first_move ? " (" + cur.direction + " cycle since " + cur.first_move + ", " + cur.moves + " moves, " + signed(cur.total_bp, 0) + " bp)." : ".") +
        " " + easing.length + " easing and " + (cy.cycles.length - easing.length) + " tightening cycles since 1954.";
      var m = $("cycles-metrics");
      m.replaceChildren();
      [["Regime on " + cy.data_end, cur.regime], ["Cycle started", cur.first_move || ""], ["Moves so far", cur.moves != null ? cur.moves + " (" + signed(cur.total_bp, 0) + " bp)" : ""],
       ["Easing cycles", String(easing.length)]].forEach(function (p) {
        var d = el("div", { "class": "metric" });
        d.appendChild(el("div", { "class": "v" }, p[1]));
        d.appendChild(el("div", { "class": "l" }, p[0]));
        m.appendChild(d);
      });
      var target = dff.dates.map(function (d) { var v = tgt[d]; return v != null ? v : (upper[d] != null ? upper[d] : null); });
      draw("chart-policy", {
        id: "policy", title: "Fed funds", kind: "time", ylabel: "percent", height: 360, x: dff.dates,
        series: [{ name: "Effective fed funds (DFF, weekly)", type: "line", y: dff.values },
                 { name: "Target (DFEDTAR / DFEDTARU)", type: "step", y: target }],
        shades: easing.map(function (c) { return { from: c.first_move, to: c.last_move, label: "easing from " + c.first_move }; })
      });
      var rows = cy.cycles.slice().reverse().map(function (c) {
        return [c.direction, c.first_move, c.last_move, String(c.moves), signed(c.total_bp, 0), c.recession ? "yes" : "no", c.inferred ? "yes" : "no"];
      });
      table($("cycles-table"), "Cycles, newest first", ["direction", "first move", "last move", "moves", "total (bp)", "recession", "inferred"], rows);
      notes($("cycles-notes"), ["Dates are FOMC announcement dates; before 1982 cycles are inferred from monthly FEDFUNDS (" + cy.rules.infer_turn_bp + " bp zigzag). Moves under " +
        cy.rules.technical_bp + " bp never start or end a cycle. Sources: " + cy.sources.join(", ") + "."]);
    }).catch(function (e) { showError($("cycles-notes"), e); });
  }

  // ---- Series explorer ----
  function growth(s) {
    var out = [], acc = null;
    s.values.forEach(function (v) {
      if (v == null) { out.push(null); return; }
      if (s.kind === "return") { acc = (acc == null ? 1 : acc) * (1 + v); out.push(acc); return; }
      if (acc == null) { acc = v; }
      out.push(v / acc);
    });
    return out;
  }
  function explore(fd) {
    var o = values(fd);
    var ids = o.series.split(",").map(function (s) { return s.trim(); }).filter(Boolean).slice(0, 4);
    var q = query({ from: o.from, to: o.to, resample: o.resample });
    return Promise.all(ids.map(function (id) { return api("/api/v1/series/" + idPath(id) + q); })).then(function (ss) {
      var all = {};
      ss.forEach(function (s) { s.dates.forEach(function (d) { all[d] = true; }); });
      var x = Object.keys(all).sort();
      var asGrowth = o.show === "growth" && ss.every(function (s) { return s.kind === "return" || s.kind === "price"; });
      var series = ss.map(function (s) {
        var vals = asGrowth ? growth(s) : s.values;
        var m = {};
        s.dates.forEach(function (d, i) { m[d] = vals[i]; });
        return { name: s.id, type: "line", y: x.map(function (d) { return m[d] != null ? m[d] : null; }) };
      });
      draw("chart-explore", { id: "explore", title: ids.join(", "), kind: "time", ylabel: asGrowth ? "growth of 1" : (ss[0].unit || ""), x: x, series: series });
      notes($("explore-notes"), ss.map(function (s) { return s.id + ": " + s.n + " observations, " + s.frequency + ", " + s.kind + (s.unit ? " (" + s.unit + ")" : "") + "; " + (s.provenance.provider || "") + " " + (s.provenance.file || s.provenance.url || ""); })
        .concat(asGrowth ? ["Growth of 1: returns compounded, prices divided by the first price in range."] : (o.show === "growth" ? ["Rates and levels are shown as values (their changes are not returns)."] : [])));
    }).catch(function (e) { showError($("explore-notes"), e); });
  }

  // ---- Event study ----
  function study(fd) {
    var url = "/api/v1/study", init;
    if (hasFile(fd, "events_file")) {
      init = { method: "POST", body: fd };
    } else {
      fd.delete("events_file");
      url += query(values(fd));
    }
    return api(url, init).then(function (r) {
      var sums = r.summary || [];
      var rows = sums.map(function (s) {
        return [s.window, String(s.n), pct(s.mean), pct(s.median), pct(s.hit_rate, 0), fmt(s.t, 2), fmt(s.p, 3),
                s.boot_lo == null ? "" : pct(s.boot_lo) + " .. " + pct(s.boot_hi), s.verdict];
      });
      var what = r.vs ? r.series + " minus " + r.vs : r.series;
      table($("study-table"), what + " after " + r.events + " (" + r.method + ", " + r.frequency + " data " + r.from + " .. " + r.to + ")",
            ["window", "n", "mean", "median", "share > 0", "t", "p", (sums.length ? Math.round(sums[0].level * 100) : 90) + "% bootstrap CI", "verdict"], rows);
      draw("chart-study", { id: "study", title: "Mean by window", kind: "bar", ylabel: r.vs ? "mean excess return" : "mean return", ypct: true,
        x: sums.map(function (s) { return s.window + " (n=" + s.n + ")"; }),
        series: [{ name: r.vs ? "mean of " + r.series + " minus " + r.vs : "mean return of " + r.series, type: "bar", y: sums.map(function (s) { return s.mean; }) }] });
      var ws = sums.map(function (s) { return s.window; });
      var erows = (r.per_event || []).filter(function (e) { return e.day0; }).reverse().map(function (e) {
        return [e.date + (e.inferred ? "*" : "") + (e.label && e.label !== r.events ? " " + e.label : ""), e.day0].concat(e.windows.map(function (c) { return c.ok ? pct(c.value) : "-"; }));
      });
      table($("study-events"), "Per event, newest first (- = window not covered by the data)", ["event", "day 0"].concat(ws), erows);
      notes($("study-notes"), r.notes);
    }).catch(function (e) { showError($("study-notes"), e); });
  }

  // ---- Regimes ----
  function regimes(fd) {
    return api("/api/v1/regimes" + query(values(fd))).then(function (r) {
      var c = $("regimes-table");
      c.replaceChildren();
      (r.series || []).forEach(function (b) {
        var holder = el("div");
        c.appendChild(holder);
        table(holder, (b.vs ? b.series + " minus " + b.vs : b.series) + " by " + r.by + " regime (" + b.from + " .. " + b.to + ", n = " + b.n + ", HAC lags " + b.hac_lags + ")",
          ["regime", "n", "share", "mean", "annualised", "t (HAC)", "p", "volatility", "Sharpe"],
          b.regimes.map(function (g) { return [g.regime, String(g.n), pct(g.share, 0), pct(g.mean), pct(g.ann_mean), fmt(g.t, 2), fmt(g.p, 3), pct(g.vol, 1), fmt(g.sharpe, 2)]; }));
        var d = el("div");
        c.appendChild(d);
        table(d, "Differences", ["regimes", "difference", "annualised", "t (HAC)", "p"],
          b.differences.map(function (x) { return [x.a + " - " + x.b, pct(x.diff), pct(x.ann_diff), fmt(x.t, 2), fmt(x.p, 3)]; }));
      });
      notes($("regimes-notes"), r.notes);
    }).catch(function (e) { showError($("regimes-notes"), e); });
  }

  // ---- Risk ----
  function risk(fd) {
    var init;
    var url = "/api/v1/risk";
    if (hasFile(fd, "returns")) {
      init = { method: "POST", body: fd };
    } else {
      fd.delete("returns");
      url += query(values(fd));
    }
    return api(url, init).then(function (r) {
      var res = r.results || [];
      var names = [];
      res.forEach(function (x) { Object.keys(x.metrics).forEach(function (k) { if (names.indexOf(k) < 0 && k.indexOf("drawdown_") !== 0) { names.push(k); } }); });
      var rows = names.map(function (k) {
        return [k].concat(res.map(function (x) {
          var v = x.metrics[k];
          if (v == null) { return ""; }
          if (typeof v === "number") { return k === "n" || k === "scale" || k === "benchmark_n" ? String(v) : v.toFixed(4); }
          return String(v);
        }));
      });
      table($("risk-table"), "Risk, scale " + r.scale + " periods a year", ["metric"].concat(res.map(function (x) { return x.name; })), rows);
      notes($("risk-notes"), r.notes);
    }).catch(function (e) { showError($("risk-notes"), e); });
  }

  // ---- Check ----
  function check(fd) {
    if (!hasFile(fd, "claims")) { fd.delete("claims"); }
    return api("/api/v1/check", { method: "POST", body: fd }).then(function (r) {
      var m = $("check-metrics");
      m.replaceChildren();
      Object.keys(r.counts || {}).sort().forEach(function (k) {
        var d = el("div", { "class": "metric" });
        d.appendChild(el("div", { "class": "v" }, String(r.counts[k])));
        d.appendChild(el("div", { "class": "l" }, k));
        m.appendChild(d);
      });
      var rows = r.claims.map(function (c) {
        var good = /^(supported|true|holds|confirmed)/i.test(c.verdict), bad = /^(refuted|false|contradicted|not supported)/i.test(c.verdict);
        var evidence = c.proxies.map(function (p) { return p.proxy + ": " + p.verdict + (p.detail ? " (" + p.detail + ")" : ""); }).join("; ");
        return [c.id, c.text, { text: c.verdict, cls: good ? "pass" : (bad ? "fail" : "") }, c.error || c.reason, evidence];
      });
      table($("check-table"), (r.title || r.file) + " (" + r.file + ")", ["id", "claim", "verdict", "why", "measured"], rows);
      notes($("check-notes"), r.source ? ["Claims from " + r.source + "."] : []);
    }).catch(function (e) { showError($("check-notes"), e); });
  }

  // ---- Rebalance ----
  function money(v) { return v == null ? "" : (+v).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 }); }
  function rebalance(fd) {
    ["holdings", "policy"].forEach(function (k) { if (!hasFile(fd, k)) { fd.delete(k); } });
    return api("/api/v1/rebalance", { method: "POST", body: fd }).then(function (r) {
      var s = r.summary;
      var m = $("rebalance-metrics");
      m.replaceChildren();
      [["Regime (" + (r.regime_auto ? "auto" : "given") + ")", r.regime], ["Trades", String(r.trades.length)], ["Bought", money(s.bought)],
       ["Sold", money(s.sold)], ["Turnover", pct(s.turnover, 1)], ["Estimated cost", money(s.cost)]].forEach(function (p) {
        var d = el("div", { "class": "metric" });
        d.appendChild(el("div", { "class": "v" }, p[1]));
        d.appendChild(el("div", { "class": "l" }, p[0]));
        m.appendChild(d);
      });
      var rows = r.trades.map(function (t) {
        return [{ text: t.side, cls: t.side === "buy" ? "pass" : "fail" }, t.symbol, t.sleeve, String(t.quantity), money(t.price), money(t.value), money(t.cost), t.rule];
      });
      table($("rebalance-table"), "Trades of " + r.holdings_file + " to " + r.policy_file + " (\u201c" + r.policy_name + "\u201d): sells first, then buys",
        ["side", "symbol", "sleeve", "quantity", "price", "value", "cost", "rule"], rows);
      notes($("rebalance-notes"), [r.regime_auto ? "Regime " + r.regime_why : "Regime given: " + r.regime].concat(r.plan_notes || [], r.notes || []));
    }).catch(function (e) { showError($("rebalance-notes"), e); });
  }

  function loadIDs() {
    return api("/api/v1/datasets").then(function (r) {
      var dl = $("dataset-ids");
      var frag = document.createDocumentFragment();
      r.datasets.forEach(function (d) {
        if (d.columns && d.columns.length) {
          d.columns.forEach(function (c) { frag.appendChild(el("option", { value: d.id + "/" + c })); });
        } else if (d.kind) {
          frag.appendChild(el("option", { value: d.id }));
        }
      });
      dl.replaceChildren(frag);
    }).catch(function () { /* the datalist is a convenience */ });
  }

  bind("explore-form", explore);
  bind("risk-form", risk);
  if (F.study) { bind("study-form", study); }
  if (F.regimes) { bind("regimes-form", regimes); }
  if (F.check) { bind("check-form", check); }
  if (F.rebalance) { bind("rebalance-form", rebalance); }
  var first = [loadCycles(), loadIDs(), explore(new FormData($("explore-form"))), risk(new FormData($("risk-form")))];
  if (F.study) { first.push(study(new FormData($("study-form")))); }
  if (F.regimes) { first.push(regimes(new FormData($("regimes-form")))); }
  if (F.check) { first.push(check(new FormData($("check-form")))); }
  if (F.rebalance) { first.push(rebalance(new FormData($("rebalance-form")))); }
  Promise.all(first).then(function () { root.setAttribute("data-ready", "1"); });
})();
