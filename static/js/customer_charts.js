// Draws the charts of the retail 360 page's overview (R01), business overview (R11) and online
// channel behaviour (R28) with ECharts. Each chart element names its kind in data-chart and the
// <script type="application/json"> block with its data in data-source. ECharts draws labels on a
// canvas, and tooltips are built with textContent, so values from source systems stay text.
(function () {
  "use strict";

  var readJson = window.c360Page.readJson;
  var textTooltip = window.c360Page.textTooltip;
  var AMOUNT_FORMAT = new Intl.NumberFormat("zh-CN", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  // The right margin leaves room for the last category label of a line chart without boundary gap.
  var GRID = { left: 16, right: 32, top: 40, bottom: 8, containLabel: true };

  function money(value) {
    return value === null || value === undefined ? "—" : AMOUNT_FORMAT.format(value);
  }

  function percent(value) {
    return value === null || value === undefined ? "—" : value.toFixed(2) + "%";
  }

  // An axis tooltip listing each series' amount under the axis value, and their sum when asked.
  function amountAxisTooltip(withTotal) {
    return function (points) {
      var lines = [points[0].axisValue];
      var total = 0;
      points.forEach(function (point) {
        if (point.value === null || point.value === undefined) { return; }
        lines.push(point.seriesName + "：" + money(point.value));
        total += point.value;
      });
      if (withTotal) { lines.push("合计：" + money(total)); }
      return textTooltip(lines.join("\n"));
    };
  }

  function amountAxis() {
    return { type: "value", axisLabel: { formatter: money } };
  }

  function aumOption(data) {
    function area(name, values) {
      return { name: name, type: "line", stack: "aum", areaStyle: {}, data: values, showSymbol: true };
    }
    return {
      tooltip: { trigger: "axis", formatter: amountAxisTooltip(true) },
      legend: { top: 0 },
      grid: GRID,
      xAxis: { type: "category", boundaryGap: false, data: data.months },
      yAxis: amountAxis(),
      series: [area("存款", data.deposits), area("产品持有", data.holdings)]
    };
  }

  function shareOption(data) {
    return {
      tooltip: {
        trigger: "item",
        formatter: function (item) {
          return textTooltip(item.name + "：" + money(item.value) + "（" + percent(item.data.percent) + "）");
        }
      },
      legend: { type: "scroll", bottom: 0 },
      series: [{
        type: "pie",
        radius: ["35%", "62%"],
        center: ["50%", "45%"],
        label: {
          formatter: function (item) { return item.name + " " + percent(item.data.percent); }
        },
        data: data.map(function (item) { return { name: item.name, value: item.value, percent: item.percent }; })
      }]
    };
  }

  function volumeOption(data) {
    return {
      tooltip: { trigger: "axis", formatter: amountAxisTooltip(false) },
      grid: GRID,
      xAxis: { type: "category", data: data.map(function (bar) { return bar.name; }) },
      yAxis: amountAxis(),
      series: [{
        name: "金额",
        type: "bar",
        barMaxWidth: 60,
        colorBy: "data",
        label: { show: true, position: "top", formatter: function (bar) { return money(bar.value); } },
        data: data.map(function (bar) { return bar.value; })
      }]
    };
  }

  function flowOption(data) {
    function side(name, field) {
      return { name: name, type: "bar", barMaxWidth: 36, data: data.map(function (row) { return row[field]; }) };
    }
    return {
      tooltip: { trigger: "axis", formatter: amountAxisTooltip(false) },
      legend: { top: 0 },
      grid: GRID,
      xAxis: { type: "category", data: data.map(function (row) { return row.name; }) },
      yAxis: amountAxis(),
      series: [side("流入", "incoming"), side("流出", "outgoing")]
    };
  }

  // Assets and liabilities as two stacked bars, one segment per item.
  function balanceSheetOption(data) {
    function segments(items, column) {
      return items.map(function (item) {
        var values = [null, null];
        values[column] = item.value;
        return { name: item.name, type: "bar", stack: "amount", barMaxWidth: 80, data: values };
      });
    }
    return {
      tooltip: { trigger: "axis", formatter: amountAxisTooltip(true) },
      legend: { type: "scroll", top: 0 },
      grid: GRID,
      xAxis: { type: "category", data: ["资产", "负债"] },
      yAxis: amountAxis(),
      series: segments(data.assets, 0).concat(segments(data.liabilities, 1))
    };
  }

  function funnelOption(data) {
    function describe(stage) {
      var text = stage.stage + " " + stage.products + " 个产品";
      return stage.rate === null ? text : text + "（转化率 " + percent(stage.rate) + "）";
    }
    var described = {};
    data.forEach(function (stage) { described[stage.stage] = describe(stage); });
    return {
      tooltip: {
        trigger: "item",
        formatter: function (item) { return textTooltip(described[item.name]); }
      },
      series: [{
        type: "funnel",
        sort: "none",
        left: "5%",
        width: "50%",
        top: 16,
        bottom: 16,
        min: 0,
        max: Math.max(data[0].products, 1),
        minSize: "20%",
        label: { position: "right", color: "#1f2937", formatter: function (item) { return described[item.name]; } },
        data: data.map(function (stage) { return { name: stage.stage, value: stage.products }; })
      }]
    };
  }

  function channelOption(data) {
    return {
      tooltip: {
        trigger: "axis",
        formatter: function (points) {
          var lines = [points[0].axisValue];
          points.forEach(function (point) { lines.push(point.seriesName + "：" + point.value + " 次"); });
          return textTooltip(lines.join("\n"));
        }
      },
      legend: { top: 0 },
      grid: GRID,
      xAxis: { type: "category", data: data.rows.map(function (row) { return row.channel; }) },
      yAxis: { type: "value", minInterval: 1 },
      series: data.event_types.map(function (name, index) {
        return {
          name: name,
          type: "bar",
          stack: "events",
          barMaxWidth: 48,
          data: data.rows.map(function (row) { return row.events[index]; })
        };
      })
    };
  }

  var OPTIONS = {
    aum: aumOption,
    share: shareOption,
    volumes: volumeOption,
    flows: flowOption,
    balance_sheet: balanceSheetOption,
    funnel: funnelOption,
    channels: channelOption
  };

  function drawChart(container) {
    var data = readJson(container.dataset.source);
    var build = OPTIONS[container.dataset.chart];
    if (!data || !build) {
      return null;
    }
    var chart = echarts.init(container);
    chart.on("finished", function () { container.dataset.ready = "true"; });
    chart.setOption(build(data));
    return chart;
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (typeof echarts === "undefined") {
      return;
    }
    var charts = [];
    document.querySelectorAll(".chart[data-chart]").forEach(function (container) {
      var chart = drawChart(container);
      if (chart) { charts.push(chart); }
    });
    window.addEventListener("resize", function () {
      charts.forEach(function (chart) { chart.resize(); });
    });
  });
})();
