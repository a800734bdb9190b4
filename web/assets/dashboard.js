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
        if (v && typeof v === "object" && v.title) { td.title = v.title; }
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
  // draw renders a chart spec into container id, with the spec's title as a caption
  // above it (the renderer draws no title).
  function draw(id, spec) {
    var node = $(id);
    if (spec.title) {
      var cap = node.previousElementSibling;
      if (!cap || !cap.classList.contains("chart-title")) {
        cap = el("div", { "class": "chart-title" });
        node.parentNode.insertBefore(cap, node);
      }
      cap.textContent = spec.title;
    }
    window.ratecycleCharts.draw(node, spec);
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

  // tiles renders headline figures: [label, value, note] each.
  function tiles(c, items) {
    c.replaceChildren();
    items.forEach(function (p) {
      if (!p) { return; }
      var d = el("div", { "class": "metric" });
      d.appendChild(el("div", { "class": "v" }, p[1]));
      d.appendChild(el("div", { "class": "l" }, p[0]));
      if (p[2]) { d.appendChild(el("div", { "class": "n" }, p[2])); }
      c.appendChild(d);
    });
  }
  function month(d) { return d ? String(d).slice(0, 7) : ""; }
  function pp(v) { return { text: v == null ? "-" : ((v > 0 ? "+" : "") + (v * 100).toFixed(2) + " pp"), cls: "num" }; }
  function pctOrDash(v, d) { return v == null ? "-" : pct(v, d); }

  // ---- Valuation ----
  var valuationCharts = false;
  function valuation(fd) {
    var o = values(fd);
    if (o.pair === "all") { delete o.pair; }
    if (o.method === "all") { delete o.method; }
    // The charts are the report's and do not depend on the form: fetch them once.
    if (!valuationCharts) { o.charts = "true"; }
    return api("/api/v1/valuation" + query(o)).then(function (r) {
      var h = r.headline, c = r.cape, since = r.since.slice(0, 4);
      var full = h.relative_bm_full, first = full.from.slice(0, 4);
      $("valuation-lead").textContent = "In " + month(h.as_of) + " small caps (" + h.pair + ", " + h.method + ") were priced at " + fmt(h.relative_pb, 2) +
        " times the large caps' price-to-book, against a median of " + fmt(h.relative_pb_full.median, 2) + " since " + first + ": a " + pct(h.discount, 0) +
        " discount, cheaper than in " + pct(full.percentile, 0) + " of months (z = " + fmt(full.z, 1) + ").";
      tiles($("valuation-metrics"), [
        ["Relative P/B, small / big", fmt(h.relative_pb, 2), h.pair + " " + h.method + ", " + h.as_of + "; median " + fmt(h.relative_pb_full.median, 2) +
          " (10th-90th pct " + fmt(h.relative_pb_full.p10, 2) + "-" + fmt(h.relative_pb_full.p90, 2) + ")"],
        ["Discount to the long-run median", pct(h.discount, 1), "1 - relative P/B / its median since " + first],
        ["Percentile (relative B/M)", pct(full.percentile, 1), "of " + full.n + " months since " + first + "; " + pct(h.relative_bm_since.percentile, 1) + " of " + h.relative_bm_since.n + " since " + since],
        ["z-score (relative B/M)", fmt(full.z, 2), fmt(h.relative_bm_since.z, 2) + " since " + since],
        ["Largest discount since " + since + "?", h.largest_since ? "yes" : "no", "peak " + pct(h.max_discount_since, 1) + " in " + month(h.max_discount_since_date)],
        ["S&P 500 CAPE", fmt(c.value, 1), month(c.as_of) + ": " + pct(c.full.percentile, 0) + " percentile since " + c.full.from.slice(0, 4) + " (median " + fmt(c.full.median, 1) + ")"]
      ]);
      (r.charts || []).forEach(function (ch) { draw(ch.id === "cape" ? "chart-cape" : "chart-valuation-gap", ch); });
      if (r.charts) { valuationCharts = true; }
      table($("valuation-table"), "Both pairs and constructions (z and percentile of relative B/M; recent window from " + r.since + ")",
        ["pair", "construction", "as of", "rel. P/B", "median", "z (all)", "pct (all)", "z (" + since + "-)", "pct (" + since + "-)", "discount", "largest since " + since],
        r.gaps.map(function (g) {
          return [g.pair, g.method, g.as_of, fmt(g.relative_pb, 3), fmt(g.relative_pb_full.median, 3), fmt(g.relative_bm_full.z, 2), pct(g.relative_bm_full.percentile, 1),
                  fmt(g.relative_bm_since.z, 2), pct(g.relative_bm_since.percentile, 1), pct(g.discount, 1),
                  g.largest_since ? "yes" : "no (" + pct(g.max_discount_since, 0) + ", " + month(g.max_discount_since_date) + ")"];
        }));
      notes($("valuation-notes"), [r.discount_definition + ".",
        "rolled: June book-to-market rolled forward with returns (follows prices); published: Ken French's BE/ME as published (prices of December t-1, lags 6-18 months).",
        "Small = below the NYSE median (2x3) or the bottom NYSE quintile (5x5): a proxy for the Russell 2000. " + c.note + ".",
        "Sources: " + r.sources.filter(function (s, i) { return i < 2; }).join(", ") + ", ... (" + r.sources.length + " series)."]);
    }).catch(function (e) { showError($("valuation-notes"), e); });
  }

  // ---- Concentration ----
  var shortSectors = { "Information Technology": "Info Tech", "Consumer Discretionary": "Cons Discr", "Consumer Staples": "Cons Staples",
                       "Communication Services": "Comm Svcs", "Communication": "Comm Svcs" };
  function concentration(fd) {
    var url = "/api/v1/concentration", init;
    if (hasFile(fd, "groups")) {
      init = { method: "POST", body: fd };
    } else {
      fd.delete("groups");
      url += query(values(fd));
    }
    return api(url, init).then(function (r) {
      var a = r.snapshots[0], b = r.snapshots[1], cmp = r.comparison;
      var label = function (s) { return s.source + (s.as_of ? " " + s.as_of : ""); };
      var mag7 = function (s) { var g = s.groups.filter(function (x) { return x.name === "mag7"; })[0]; return g ? g.share : null; };
      tiles($("concentration-metrics"), [
        ["Top-" + a.top_n + " share of equities", pct(a.top_share, 1), label(a) + (a.top_fund_share != null ? "; " + pct(a.top_fund_share, 1) + " of the fund" : "")],
        mag7(a) != null ? ["mag7 share", pct(mag7(a), 1), b && mag7(b) != null ? pct(mag7(b), 1) + " in " + b.source : "AAPL MSFT NVDA AMZN GOOGL+GOOG META TSLA"] : null,
        ["Effective N (1/HHI)", fmt(a.effective_n, 0), "of " + a.equity_lines + " lines; HHI " + fmt(a.hhi, 4)],
        b ? ["Effective N, " + b.source, fmt(b.effective_n, 0), b.equity_lines + " of " + b.equity_lines_in_source + " lines have a weight"] : null,
        cmp ? ["Weight in common", pct(cmp.common_weight, 1), cmp.common_tickers + " tickers in both"] : null,
        a.non_equity_share_of_fund != null ? ["Not stocks", pct(a.non_equity_share_of_fund, 2), "cash, collateral, futures: kept out of the equity weights"] : null
      ]);
      var secs = cmp ? cmp.sectors.map(function (s) { return { name: s.name, a: s.a, b: s.b }; }) : a.sectors.map(function (s) { return { name: s.sector, a: s.weight }; });
      var series = [{ name: label(a), type: "bar", y: secs.map(function (s) { return s.a; }) }];
      if (b) { series.push({ name: label(b), type: "bar", y: secs.map(function (s) { return s.b; }) }); }
      draw("chart-concentration", { id: "concentration-sectors", title: "Sector weights (of equities)", kind: "bar", ylabel: "weight", ypct: true, height: 340,
        x: secs.map(function (s) { return shortSectors[s.name] || s.name || "(none)"; }), series: series });
      if (cmp) {
        table($("concentration-table"), "Largest lines in " + a.source + " and " + b.source, ["ticker", "name", a.source, b.source, "change", "rank a", "rank b"],
          cmp.names.map(function (n) { return [n.ticker, n.name, pctOrDash(n.a, 2), pctOrDash(n.b, 2), pp(n.change), n.rank_a ? String(n.rank_a) : "-", n.rank_b ? String(n.rank_b) : "-"]; }));
      } else {
        table($("concentration-table"), "Largest " + a.top_n + " lines of " + label(a), ["rank", "ticker", "name", "sector", "weight", "fund weight"],
          a.top.map(function (h, i) { return [String(i + 1), h.ticker + (h.also ? " (+" + h.also.join("+") + ")" : ""), h.name, h.sector || "", pct(h.weight, 2), pctOrDash(h.fund_weight, 2)]; }));
      }
      var gcols = ["group", a.source], gb = {};
      if (b) { gcols.push(b.source); b.groups.forEach(function (g) { gb[g.name] = g.share; }); }
      table($("concentration-groups"), "Groups (share of equities)", gcols.concat(["members in " + a.source]),
        a.groups.map(function (g) {
          var row = [g.name, pct(g.share, 2)];
          if (b) { row.push(pctOrDash(gb[g.name], 2)); }
          return row.concat([g.members.map(function (h) { return h.ticker + " " + pct(h.weight, 1); }).join(", ") + (g.missing.length ? "; not held: " + g.missing.join(" ") : "")]);
        }));
      notes($("concentration-notes"), a.notes.concat(b ? b.notes : [], ["HHI = sum of squared equity weights; effective N = 1/HHI. Concentration is by line, as in the index: GOOGL and GOOG are two lines."]));
    }).catch(function (e) { showError($("concentration-notes"), e); });
  }

  // ---- Sectors ----
  function sectors(fd) {
    return api("/api/v1/sectors" + query(values(fd))).then(function (r) {
      var rows = r.rows;
      draw("chart-sectors", { id: "sectors-score", title: "Score by " + (r.universe === "etf" ? "ETF" : "industry") + " (weighted z-scores; best first)", kind: "bar",
        ylabel: "score", height: 320, x: rows.map(function (x) { return x.name; }),
        series: [{ name: "score vs " + r.market, type: "bar", y: rows.map(function (x) { return x.score; }) }] });
      table($("sectors-table"), "Ranking of " + r.universe + " against " + r.market + " (n* = too few first cuts to conclude)",
        ["rank", "name", "what", "call", "score", "12m after first cuts", "easing, a year", "2y-yield beta (t)", "mom 6m", "mom 12m"],
        rows.map(function (x) {
          var fc = x.first_cut_12m || {}, ea = x.easing || {}, b2 = x.beta_2y || {};
          return [String(x.rank), { text: x.name, title: x.id }, { text: x.title, cls: "what" }, { text: x.call, cls: x.call === "overweight" ? "pass" : (x.call === "underweight" ? "fail" : "") }, fmt(x.score, 2),
                  fc.n ? pct(fc.mean, 1) + " (n=" + fc.n + (fc.too_few ? "*" : "") + ")" : "-", ea.ann_mean != null ? pct(ea.ann_mean, 1) + " (t " + fmt(ea.t, 1) + ")" : "-",
                  b2.beta != null ? pct(b2.beta, 2) + " (" + fmt(b2.t, 1) + ")" : "-", pctOrDash(x.momentum_6m, 1), pctOrDash(x.momentum_12m, 1)];
        }));
      var w = r.weights;
      notes($("sectors-notes"), ["Score weights: first cut " + fmt(w.first_cut, 2) + ", easing " + fmt(w.easing, 2) + ", rate beta " + fmt(w.rate_beta, 2) + " (sign flipped: benefiting from falling yields scores up), momentum " + fmt(w.momentum, 2) + "."].concat(r.notes));
    }).catch(function (e) { showError($("sectors-notes"), e); });
  }

  // ---- Screen ----
  function metricCell(v, kind) {
    if (v == null) { return "?"; }
    if (typeof v === "string") { return v; }
    return kind === "pct" ? pct(v, 1) : fmt(v, 2);
  }
  function screenPanel(fd) {
    var url = "/api/v1/screen", init;
    if (hasFile(fd, "rules")) {
      init = { method: "POST", body: fd };
    } else {
      fd.delete("rules");
      url += query(values(fd));
    }
    return api(url, init).then(function (r) {
      var c = r.counts;
      tiles($("screen-metrics"), [["Screened", String(c.screened), r.as_of], ["Pass", String(c.pass), "every rule"], ["Unknown", String(c.unknown), "no rule failed, some could not be checked"],
        ["Fail", String(c.fail)], ["Excluded", String(c.excluded), "could not be screened; reasons below"]]);
      var rules = (r.result.rules.rules || []).map(function (x) { return x.rule + " " + x.limit; }).join(", ");
      table($("screen-table"), "Top " + r.rows_shown + " of " + r.universe + ", as of " + r.as_of + " (rules: " + (r.result.rules.name || r.result.rules.file || "built in") + ")",
        ["rank", "company", "status", "quality", "F-score", "ROA", "debt/equity", "int. cover", "current", "Altman Z", "not passed"],
        r.result.rows.map(function (x) {
          var m = x.metrics;
          var why = (x.failed || []).map(function (k) { return "fails " + k; }).concat((x.unknown || []).map(function (k) { return "? " + k; })).join(", ");
          return [String(x.rank), { text: (x.ticker ? x.ticker + " " : "") + x.name, cls: "company", title: "CIK " + x.cik + "; " + x.form + " filed " + x.filed }, { text: x.status, cls: x.status === "pass" ? "pass" : (x.status === "fail" ? "fail" : "") },
                  fmt(x.quality, 2), { text: x.fscore.score + (x.fscore.known < 9 ? " of " + x.fscore.known + " known" : ""), cls: "num" }, metricCell(m.roa, "pct"), metricCell(m.debt_to_equity),
                  metricCell(m.interest_coverage), metricCell(m.current_ratio), metricCell(m.altman_z), { text: why || "every rule passed", cls: "rules", title: x.reasons }];
        }));
      var ex = Object.keys(r.excluded_by_reason).map(function (k) { return r.excluded_by_reason[k].length + " excluded: " + k + " (" + r.excluded_by_reason[k].slice(0, 4).join(", ") + (r.excluded_by_reason[k].length > 4 ? ", ..." : "") + ")"; });
      notes($("screen-notes"), ["Source: " + r.source + ".", rules ? "Rules: " + rules + "." : ""].concat(r.notes, ex));
    }).catch(function (e) { showError($("screen-notes"), e); });
  }

  // ---- Backtest ----
  function backtest(fd) {
    var o = values(fd), p = new URLSearchParams(), init, url = "/api/v1/backtest";
    ["from", "to"].forEach(function (k) { if (o[k]) { p.set(k, o[k]); } });
    p.set("trades", "false");
    p.set("charts", "true");
    if (hasFile(fd, "strategy")) {
      // Someone else's strategy: its own runs and parameters.
      var up = new FormData();
      up.append("strategy", fd.get("strategy"));
      p.forEach(function (v, k) { up.append(k, v); });
      init = { method: "POST", body: up };
    } else {
      p.set("run", o.run);
      if (o.tilt) { p.append("param", "tilt=" + o.tilt); }
      if (o.lag) { p.append("param", "lag=" + o.lag); }
      url += "?" + p.toString();
    }
    return api(url, init).then(function (r) {
      var cc = $("backtest-charts"), tc = $("backtest-table");
      cc.replaceChildren();
      tc.replaceChildren();
      var allNotes = [];
      r.runs.forEach(function (run) {
        (run.charts || []).filter(function (ch) { return ch.id.indexOf("backtest-drawdown-") !== 0; }).forEach(function (ch) {
          var d = el("div", { "class": "chart", id: "chart-" + ch.id, "data-chart": ch.id, role: "img", "aria-label": ch.title });
          cc.appendChild(d);
          draw(d.id, ch);
        });
        var unit = run.scale === 252 ? "days" : (run.scale === 52 ? "weeks" : "months");
        var params = Object.keys(run.params).map(function (k) { return k + " " + run.params[k]; }).join(", ");
        var h1 = el("div", { "class": "tablewrap" }), h2 = el("div", { "class": "tablewrap" });
        tc.appendChild(h1);
        tc.appendChild(h2);
        table(h1, "Run " + run.run + ": " + (run.title || run.run) + ", " + run.from + " .. " + run.to + " (" + run.periods + " " + unit + "; " + params + ")",
          ["portfolio", "CAGR", "volatility", "Sharpe", "Sortino", "max drawdown", "$1 grows to", "turnover / yr", "trades", "beta", "info. ratio"],
          run.portfolios.map(function (pf) {
            var k = pf.risk || {};
            return [pf.name + (pf.benchmark ? " (benchmark)" : ""), pct(k.annualized_return), pct(k.annualized_stddev), fmt(k.sharpe_annualized, 3), fmt(k.sortino, 3),
                    pct(k.max_drawdown, 1), fmt(pf.final_wealth, 2), pct(pf.turnover_per_year, 1), String(pf.trades), k.beta != null ? fmt(k.beta, 2) : "", k.information_ratio != null ? fmt(k.information_ratio, 2) : ""];
          }));
        var regimes = run.portfolios.length ? run.portfolios[0].per_regime.map(function (g) { return g.regime; }) : [];
        if (regimes.length) {
          table(h2, "Return per Fed regime, annualised (excess vs " + run.relative_to + "; regime as known at the start of each period)",
            ["portfolio"].concat([].concat.apply([], regimes.map(function (g) { return [g + " (n=" + (run.regime_periods[g] || 0) + ")", "excess"]; }))),
            run.portfolios.map(function (pf) {
              return [pf.name].concat([].concat.apply([], pf.per_regime.map(function (g) { return [pctOrDash(g.annualized), pctOrDash(g.excess)]; })));
            }));
        }
        run.notes.forEach(function (n) { allNotes.push("Run " + run.run + ": " + n + "."); });
      });
      notes($("backtest-notes"), ["Strategy \u201c" + r.strategy + "\u201d (" + r.file + "). PerformanceAnalytics conventions: geometric CAGR; sample sd x sqrt(scale); Sharpe (PA 2.1.0) and Sortino with Rf = the cash returns; the starting $1 counts as a peak in drawdowns.",
        "Every decision is point in time: a rule sees a Fed move from its announcement day, yields a day late, NBER months a year late. The n of each regime counts periods (months or days), not episodes: a handful of easing cycles decide the result."].concat(allNotes));
    }).catch(function (e) { showError($("backtest-notes"), e); });
  }

  // ---- Hedge ----
  function hedge(fd) {
    return api("/api/v1/hedge" + query(values(fd))).then(function (h) {
      var m = h.market, spot = m.spot.value;
      var be = h.breakevens.length ? money(h.breakevens[0]) + " (" + signed(100 * (h.breakevens[0] / spot - 1), 1) + "%)" : "none";
      tiles($("hedge-metrics"), [
        ["Contracts", String(h.contracts), fmt(h.contracts_exact, 2) + " exact; " + h.shares + " shares, hedge ratio " + pct(h.hedge_ratio, 0)],
        [h.premium < 0 ? "Net credit received" : "Premium", money(Math.abs(h.premium)), fmt(Math.abs(h.premium_per_share), 4) + " per share" + (h.premium < 0 ? " (the short leg is worth more)" : "")],
        ["Cost, % of value hedged", pct(h.cost_of_value, 2), pct(h.cost_of_value_per_year, 2) + " a year (simple)"],
        ["Breakeven at expiry", be, h.underlying + " spot " + money(spot)],
        ["Protection below", money(h.protection_below), "largest payout " + (h.max_payout_per_share == null ? "unlimited" : money(h.max_payout_per_share * h.shares))],
        ["Value hedged", money(h.value), h.value_from + "; beta " + fmt(h.beta, 2)],
        ["Volatility", pct(m.vol.value, 1), m.vol.source + (m.vol.date ? ", " + m.vol.date : "")],
        ["Rate", pct(m.rate.value, 2), m.rate.source + (m.rate.date ? ", " + m.rate.date : "")]
      ]);
      draw("chart-hedge", { id: "hedge-payoff", title: "Value at expiry as " + h.underlying + " moves, with and without the " + h.strategy, kind: "bar", ylabel: "USD", height: 340,
        x: h.payoff.map(function (p) { return (p.move > 0 ? "+" : "") + Math.round(p.move * 100) + "%"; }),
        series: [{ name: "unhedged", type: "line", y: h.payoff.map(function (p) { return p.unhedged; }) },
                 { name: "hedged, net of premium", type: "line", y: h.payoff.map(function (p) { return p.hedged; }) }] });
      table($("hedge-legs"), h.strategy + " on " + h.underlying + ", " + h.expiry_days + " days (legs per share; greeks of one long option)",
        ["leg", "strike", "moneyness", "premium", "delta", "gamma", "vega", "theta"],
        h.legs.map(function (l) { return [(l.position < 0 ? "short " : "long ") + l.kind, money(l.strike), pct(l.moneyness, 1), fmt(l.premium, 4), fmt(l.delta, 4), fmt(l.gamma, 5), fmt(l.vega, 3), fmt(l.theta, 3)]; }));
      table($("hedge-stress"), "Stress windows: " + h.underlying + "'s move replayed as one move at expiry", ["window", "from", "to", "move", "unhedged", "hedged", "difference"],
        h.stress.map(function (s) {
          if (s.hedged == null) { return [s.window, s.from, s.to, "no data", "", "", ""]; }
          return [s.window, s.from, s.to, pct(s.move, 1), money(s.unhedged), money(s.hedged), money(s.hedged - s.unhedged)];
        }));
      notes($("hedge-notes"), ["Spot: " + m.spot.note + " (" + m.spot.date + "). Volatility: " + m.vol.note + ". Rate: " + m.rate.note + ". Dividend yield: " + m.dividend_yield.note + "."].concat(h.notes));
    }).catch(function (e) { showError($("hedge-notes"), e); });
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
  if (F.valuation) { bind("valuation-form", valuation); }
  if (F.concentration) { bind("concentration-form", concentration); }
  if (F.sectors) { bind("sectors-form", sectors); }
  if (F.screen) { bind("screen-form", screenPanel); }
  if (F.backtest) { bind("backtest-form", backtest); }
  if (F.hedge) { bind("hedge-form", hedge); }
  var first = [loadCycles(), loadIDs(), explore(new FormData($("explore-form"))), risk(new FormData($("risk-form")))];
  if (F.study) { first.push(study(new FormData($("study-form")))); }
  if (F.regimes) { first.push(regimes(new FormData($("regimes-form")))); }
  if (F.check) { first.push(check(new FormData($("check-form")))); }
  if (F.rebalance) { first.push(rebalance(new FormData($("rebalance-form")))); }
  [["valuation", valuation], ["concentration", concentration], ["sectors", sectors], ["screen", screenPanel], ["backtest", backtest], ["hedge", hedge]].forEach(function (p) {
    if (F[p[0]]) { first.push(p[1](new FormData($(p[0] + "-form")))); }
  });
  Promise.all(first).then(function () { root.setAttribute("data-ready", "1"); });
})();
