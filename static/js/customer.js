// Draws the retail 360 page's knowledge graph (vis-network) and balance chart (ECharts).
// Data arrives in <script type="application/json"> blocks; every label and tooltip is inserted
// as text, never as HTML, because the values come from source systems.
(function () {
  "use strict";

  var readJson = window.c360Page.readJson;
  var textTooltip = window.c360Page.textTooltip;
  var postJson = window.c360Page.postJson;

  function drawKnowledgeGraph() {
    var container = document.getElementById("knowledge-graph");
    var data = readJson("network-data");
    if (!container || !data || typeof vis === "undefined") {
      return;
    }

    data.nodes.forEach(function (node) {
      if (node.title) { node.title = textTooltip(node.title); }
    });
    data.edges.forEach(function (edge) {
      edge.detail = edge.title;
      if (edge.title) { edge.title = textTooltip(edge.title); }
    });
    var edges = new vis.DataSet(data.edges);

    var network = new vis.Network(
      container,
      { nodes: new vis.DataSet(data.nodes), edges: edges },
      data.options
    );
    // Stop the physics once laid out, so the view stays still and responsive.
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({ physics: { enabled: false } });
      // A small network would otherwise stay at scale 1 in a corner of the canvas.
      network.fit({ maxZoomLevel: 1.6, animation: false });
      container.dataset.ready = "true";
    });

    network.on("hoverNode", function (event) {
      var node = data.nodes.find(function (candidate) { return candidate.id === event.node; });
      container.style.cursor = node && node.url ? "pointer" : "default";
    });
    network.on("blurNode", function () { container.style.cursor = "default"; });
    network.on("click", function (event) {
      if (event.nodes.length === 0) {
        // A click on empty canvas closes the panels, so no decision lands on a link left open.
        var edge = event.edges.length === 1 ? edges.get(event.edges[0]) : null;
        showLinkReview(edges, edge);
        showManualLink(edges, edge);
        return;
      }
      if (event.nodes.length !== 1) { return; }
      var node = data.nodes.find(function (candidate) { return candidate.id === event.nodes[0]; });
      if (node && node.url) {
        window.location.assign(node.url);
      }
    });
    window.c360Graph = network;
  }

  // Shows a mined link's evidence with buttons that confirm or reject it.
  function showLinkReview(edges, edge) {
    var panel = document.getElementById("link-review");
    if (!panel || !edge || !edge.review) {
      if (panel) { panel.hidden = true; }
      return;
    }
    document.getElementById("link-review-detail").textContent = edge.detail || "";
    document.getElementById("link-review-message").textContent = "";
    panel.hidden = false;
    panel.querySelectorAll("button[data-decision]").forEach(function (button) {
      button.onclick = function () { sendReview(edges, edge, button.dataset.decision); };
    });
  }

  // Shows a manual link with fields to rename its relation or change its note, and to remove it.
  function showManualLink(edges, edge) {
    var panel = document.getElementById("manual-link");
    if (!panel) { return; }
    if (!edge || !edge.manual) {
      panel.hidden = true;
      return;
    }
    var relation = document.getElementById("manual-link-relation");
    var note = document.getElementById("manual-link-note");
    var message = document.getElementById("manual-link-message");
    document.getElementById("manual-link-detail").textContent = edge.detail || "";
    relation.value = edge.manual.relation || "";
    note.value = edge.manual.note || "";
    message.textContent = "";
    panel.hidden = false;
    document.getElementById("manual-link-save").onclick = function () {
      postJson("/links/manual/update", {
        source: edge.manual.source, target: edge.manual.target, relation: edge.manual.relation,
        new_relation: relation.value, note: note.value
      }, message, function (answer) {
        edge.manual.relation = answer.relation;
        edge.manual.note = note.value;
        edges.update({ id: edge.id, label: answer.relation });
      });
    };
    document.getElementById("manual-link-remove").onclick = function () {
      postJson("/links/manual/remove", {
        source: edge.manual.source, target: edge.manual.target, relation: edge.manual.relation
      }, message, function () { edges.remove(edge.id); });
    };
  }

  function sendReview(edges, edge, decision) {
    var names = { confirmed: "已确认", rejected: "已否决" };
    var before = edge.review.status;
    if (before && before !== decision &&
        !window.confirm("该关系已审核为“" + names[before] + "”，确定改为“" + names[decision] + "”吗？")) {
      return;
    }
    var body = {
      source: edge.review.source, target: edge.review.target,
      link_type: edge.review.link_type, decision: decision
    };
    postJson("/links/review", body, document.getElementById("link-review-message"), function () {
      edge.detail = edge.detail.replace(/审核：.*$/, "审核：" + (decision === "confirmed" ? "已确认" : "已否决"));
      document.getElementById("link-review-detail").textContent = edge.detail;
      edge.review.status = decision;
      if (decision === "rejected") {
        edges.remove(edge.id);
      } else {
        edges.update({ id: edge.id, dashes: false, title: textTooltip(edge.detail) });
      }
    });
  }

  function drawBalanceChart() {
    var container = document.getElementById("balance-chart");
    var data = readJson("balance-data");
    if (!container || !data || typeof echarts === "undefined") {
      return;
    }
    var chart = echarts.init(container);
    chart.setOption({
      tooltip: { trigger: "axis" },
      legend: { type: "scroll", top: 0 },
      grid: { left: 70, right: 20, top: 40, bottom: 30 },
      xAxis: { type: "category", data: data.months },
      yAxis: { type: "value", name: "余额" },
      series: data.series.map(function (s) {
        return { name: s.name, type: "line", data: s.data, connectNulls: true, showSymbol: true };
      })
    });
    window.addEventListener("resize", function () { chart.resize(); });
    chart.on("finished", function () { container.dataset.ready = "true"; });
  }

  // A "显示" button requests one masked value in full from the server, which audits each request.
  function enableReveal() {
    var message = document.getElementById("reveal-message");
    document.querySelectorAll("button.reveal").forEach(function (button) {
      button.addEventListener("click", function () {
        var url = window.location.pathname.replace(/\/$/, "") + "/reveal";
        var body = { field: button.dataset.field, reference: button.dataset.reference || null };
        postJson(url, body, message, function (answer) {
          var masked = button.parentNode.querySelector(".masked");
          masked.textContent = answer.value;
          button.remove();
        });
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    drawBalanceChart();
    drawKnowledgeGraph();
    enableReveal();
  });
})();
