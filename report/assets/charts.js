// charts.js: turns ratecycle chart specs (report.Chart as JSON) into Apache ECharts
// options. Shared by the HTML report and the dashboard so both draw the same charts.
(function (global) {
  "use strict";
  var palette = ["#1f5fbf", "#d9822b", "#1a7f4b", "#b3261e", "#7a4cc2", "#0f8b8d", "#8c6d1f", "#c2185b"];
  function isDark() { return !!(global.matchMedia && global.matchMedia("(prefers-color-scheme: dark)").matches); }
  function pct(v) { return v == null ? "" : (v * 100).toFixed(1) + "%"; }
  function option(c, dark) {
    var time = c.kind === "time";
    var series = [];
    var legend = [];
    (c.series || []).forEach(function (s, i) {
      var color = s.color || palette[i % palette.length];
      if (s.type === "band") {
        var lower = c.x.map(function (x, j) { return [time ? x : j, s.lower[j]]; });
        var width = c.x.map(function (x, j) { return [time ? x : j, (s.upper[j] == null || s.lower[j] == null) ? null : s.upper[j] - s.lower[j]]; });
        // stackStrategy "all": stack the width onto the lower edge even when it is negative
        // (the default stacks only same-sign values, which drew the band from zero).
        series.push({ name: s.name + " low", type: "line", data: lower, stack: "band" + i, stackStrategy: "all", symbol: "none", lineStyle: { opacity: 0 }, silent: true, tooltip: { show: false } });
        series.push({ name: s.name, type: "line", data: width, stack: "band" + i, stackStrategy: "all", symbol: "none", lineStyle: { opacity: 0 },
                      areaStyle: { color: color, opacity: 0.18 }, itemStyle: { color: color, opacity: 0.35 }, silent: true, tooltip: { show: false } });
        legend.push(s.name);
        return;
      }
      var data = time ? c.x.map(function (x, j) { return [x, s.y[j]]; }) : s.y;
      var o = { name: s.name, data: data, itemStyle: { color: color }, lineStyle: { color: color, width: 1.6 },
                symbol: "none", connectNulls: false };
      if (s.type === "bar") { o.type = "bar"; }
      else if (s.type === "scatter") { o.type = "scatter"; o.symbol = "circle"; o.symbolSize = 7; }
      else { o.type = "line"; if (s.type === "step") { o.step = "end"; } }
      series.push(o);
      legend.push(s.name);
    });
    if (c.shades && c.shades.length && series.length) {
      series[0].markArea = { silent: true, itemStyle: { color: dark ? "rgba(110,168,255,0.13)" : "rgba(31,95,191,0.09)" },
        label: { show: false },
        data: c.shades.map(function (s) { return [{ name: s.label, xAxis: s.from }, { xAxis: s.to }]; }) };
    }
    return {
      backgroundColor: "transparent",
      animation: false,
      textStyle: { fontFamily: "system-ui, sans-serif" },
      tooltip: { trigger: "axis", valueFormatter: c.ypct ? pct : function (v) { return v == null ? "" : (+v).toFixed(2); } },
      // The legend sits on the first line, the y-axis name on its own line under it.
      legend: { data: legend, top: 0, left: "center", type: "scroll", textStyle: { color: dark ? "#e6e9ee" : "#1c2330" } },
      grid: { left: 56, right: 24, top: 58, bottom: time ? 56 : 40 },
      xAxis: time ? { type: "time" } : { type: "category", data: c.x, axisLabel: { interval: 0, rotate: c.x.length > 8 ? 35 : 0 } },
      yAxis: { type: "value", name: c.ylabel, nameLocation: "end", nameGap: 10, nameTextStyle: { align: "left" }, scale: !c.ypct, axisLabel: { formatter: c.ypct ? function (v) { return (v * 100).toFixed(0) + "%"; } : null } },
      dataZoom: time ? [{ type: "inside" }, { type: "slider", height: 18, bottom: 8 }] : [],
      series: series
    };
  }
  // draw renders spec c into element el and returns the chart instance.
  function draw(el, c) {
    if (c.height) { el.style.height = c.height + "px"; }
    var dark = isDark();
    var old = global.echarts.getInstanceByDom(el);
    if (old) { old.dispose(); }
    var chart = global.echarts.init(el, dark ? "dark" : null, { renderer: "canvas" });
    chart.setOption(option(c, dark));
    global.addEventListener("resize", function () { chart.resize(); });
    global.addEventListener("beforeprint", function () { chart.resize(); });
    return chart;
  }
  global.ratecycleCharts = { option: option, draw: draw };
})(window);
