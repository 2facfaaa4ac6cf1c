// Draws the knowledge graph page with vis-network: filters by link type and origin, the depth,
// expanding a customer on double-click, the path finder and the review of mined links.
// Labels and tooltips come from source systems, so they are inserted as text, never as HTML.
(function () {
  "use strict";

  var PATH_COLOR = "#e6007e";
  var SETTLE_ITERATIONS = 150;
  var REVIEW_NAMES = { confirmed: "已确认", rejected: "已否决" };

  var page;
  var container;
  var state = {
    network: null,
    nodes: null,
    edges: null,
    focus: null,
    hiddenTypes: {},
    hiddenOrigins: {},
    highlighted: null
  };

  var readJson = window.c360Page.readJson;
  var textTooltip = window.c360Page.textTooltip;
  var postJson = window.c360Page.postJson;

  // Keeps each tooltip's text in `detail` for the side panels and turns the tooltip into an element.
  function prepare(data) {
    data.nodes.forEach(function (node) {
      node.detail = node.title || "";
      if (node.title) { node.title = textTooltip(node.title); }
    });
    data.edges.forEach(function (edge) {
      edge.detail = edge.title || "";
      if (edge.title) { edge.title = textTooltip(edge.title); }
    });
  }

  function setStatus(text) {
    document.getElementById("graph-status").textContent = text;
  }

  function describe(note) {
    setStatus((note ? note + " " : "") +
      "图中共 " + state.nodes.length + " 个节点、" + state.edges.length + " 条关系。");
  }

  // Stops the physics once the layout has settled, so a large drawing stays responsive.
  function whenLaidOut(started, done) {
    state.network.once("stabilizationIterationsDone", function () {
      state.network.setOptions({ physics: { enabled: false } });
      container.dataset.layoutMs = String(Math.round(performance.now() - started));
      container.dataset.ready = "true";
      if (done) { done(); }
    });
  }

  function draw(data) {
    var started = performance.now();
    container.dataset.ready = "false";
    prepare(data);
    if (state.network) { state.network.destroy(); }
    state.nodes = new vis.DataSet(data.nodes);
    state.edges = new vis.DataSet(data.edges);
    state.focus = data.nodes.length ? data.nodes[0].id : null;
    state.highlighted = null;
    state.network = new vis.Network(container, { nodes: state.nodes, edges: state.edges }, data.options);
    whenLaidOut(started, function () {
      state.network.fit({ maxZoomLevel: 1.4, animation: false });
    });
    state.network.on("click", onClick);
    state.network.on("doubleClick", onDoubleClick);
    state.network.on("hoverNode", function () { container.style.cursor = "pointer"; });
    state.network.on("blurNode", function () { container.style.cursor = "default"; });
    window.c360Graph = state.network;
    buildFilters(data.filters);
    applyFilters();
    describe(data.truncated ? "节点数已达显示上限，更远的关联方未展开，可双击客户节点继续展开。" : "");
  }

  // Adds the nodes and edges not drawn yet around `anchorId`, then lets only those move into place.
  function merge(data, anchorId) {
    prepare(data);
    var anchor = state.nodes.get(anchorId) ? state.network.getPosition(anchorId) : { x: 0, y: 0 };
    var added = data.nodes.filter(function (node) { return !state.nodes.get(node.id); });
    var radius = 120 + 6 * added.length;
    added.forEach(function (node, index) {
      var angle = (2 * Math.PI * index) / Math.max(added.length, 1);
      node.x = anchor.x + radius * Math.cos(angle);
      node.y = anchor.y + radius * Math.sin(angle);
    });
    state.nodes.add(added);
    state.edges.add(data.edges.filter(function (edge) { return !state.edges.get(edge.id); }));
    buildFilters(data.filters);
    applyFilters();
    settle(added.map(function (node) { return node.id; }));
    return added.length;
  }

  function settle(newIds) {
    if (newIds.length === 0) { return; }
    var fresh = {};
    newIds.forEach(function (id) { fresh[id] = true; });
    var others = state.nodes.getIds().filter(function (id) { return !fresh[id]; });
    state.nodes.update(others.map(function (id) { return { id: id, fixed: true }; }));
    container.dataset.ready = "false";
    whenLaidOut(performance.now(), function () {
      state.nodes.update(others.map(function (id) { return { id: id, fixed: false }; }));
    });
    state.network.setOptions({ physics: { enabled: true } });
    state.network.stabilize(SETTLE_ITERATIONS);
  }

  function buildFilters(filters) {
    addCheckboxes(document.getElementById("filter-link-types"), filters.link_types, state.hiddenTypes);
    addCheckboxes(document.getElementById("filter-origins"), filters.origins, state.hiddenOrigins);
  }

  // Adds a checkbox for each choice not listed yet; an unticked box hides the edges of its value.
  function addCheckboxes(box, choices, hidden) {
    choices.forEach(function (choice) {
      if (box.querySelector('input[value="' + CSS.escape(choice.value) + '"]')) { return; }
      var label = document.createElement("label");
      var input = document.createElement("input");
      input.type = "checkbox";
      input.value = choice.value;
      input.checked = !hidden[choice.value];
      input.addEventListener("change", function () {
        if (input.checked) { delete hidden[choice.value]; } else { hidden[choice.value] = true; }
        applyFilters();
      });
      label.appendChild(input);
      if (choice.color) {
        var line = document.createElement("span");
        line.className = "line";
        line.style.borderTopColor = choice.color;
        label.appendChild(line);
      }
      label.appendChild(document.createTextNode(choice.label));
      box.appendChild(label);
    });
  }

  // Hides the edges of unticked types and origins, and the nodes left with no visible edge.
  function applyFilters() {
    var visibleDegree = {};
    var edgeChanges = [];
    state.edges.forEach(function (edge) {
      var hidden = Boolean(edge.link_type) &&
        (Boolean(state.hiddenTypes[edge.link_type]) || Boolean(state.hiddenOrigins[edge.origin]));
      if (Boolean(edge.hidden) !== hidden) { edgeChanges.push({ id: edge.id, hidden: hidden }); }
      if (!hidden) {
        visibleDegree[edge.from] = (visibleDegree[edge.from] || 0) + 1;
        visibleDegree[edge.to] = (visibleDegree[edge.to] || 0) + 1;
      }
    });
    state.edges.update(edgeChanges);
    var nodeChanges = [];
    state.nodes.forEach(function (node) {
      var hidden = node.id !== state.focus && !visibleDegree[node.id];
      if (Boolean(node.hidden) !== hidden) { nodeChanges.push({ id: node.id, hidden: hidden }); }
    });
    state.nodes.update(nodeChanges);
  }

  function onClick(event) {
    var node = event.nodes.length === 1 ? state.nodes.get(event.nodes[0]) : null;
    var edge = !node && event.edges.length === 1 ? state.edges.get(event.edges[0]) : null;
    showNodeInfo(node);
    showLinkReview(edge);
  }

  function onDoubleClick(event) {
    if (event.nodes.length !== 1) { return; }
    var node = state.nodes.get(event.nodes[0]);
    if (!node || !node.expand) { return; }
    if (node.expanded) {
      setStatus("“" + node.label + "”的关联方已展开。");
      return;
    }
    if (node.group_of) {
      drawNextBatch(node);
      return;
    }
    setStatus("正在展开“" + node.label + "”的关联方……");
    getJson(node.expand, function (answer) {
      var added = merge(answer, node.id);
      state.nodes.update({ id: node.id, expanded: true });
      describe("已展开“" + node.label + "”，新增 " + added + " 个节点。");
    });
  }

  // Replaces a hub's group node by the next batch of its neighbours and a group node for the rest.
  function drawNextBatch(group) {
    setStatus("正在绘制下一批关联方……");
    getJson(group.expand, function (answer) {
      state.edges.remove(state.network.getConnectedEdges(group.id));
      state.nodes.remove(group.id);
      var added = merge(answer, group.group_of);
      var rest = state.nodes.get(group.id);
      var neighbours = rest ? added - 1 : added;
      describe("新增 " + neighbours + " 个节点" + (rest ? "，" + rest.label + "未绘制。" : "，关系已全部绘制。"));
    });
  }

  function showNodeInfo(node) {
    var panel = document.getElementById("node-info");
    if (!node) {
      panel.hidden = true;
      return;
    }
    document.getElementById("node-info-title").textContent = node.label;
    document.getElementById("node-info-detail").textContent = node.detail;
    var links = panel.querySelector("p");
    links.hidden = !node.url;
    if (node.url) {
      document.getElementById("node-info-page").href = node.url;
      document.getElementById("node-info-graph").href = node.graph_url;
    }
    panel.hidden = false;
  }

  function showLinkReview(edge) {
    var panel = document.getElementById("link-review");
    if (!panel) { return; }
    if (!edge || !edge.review) {
      panel.hidden = true;
      return;
    }
    document.getElementById("link-review-detail").textContent = edge.detail;
    document.getElementById("link-review-message").textContent = "";
    panel.hidden = false;
    panel.querySelectorAll("button[data-decision]").forEach(function (button) {
      button.onclick = function () { sendReview(edge.id, button.dataset.decision); };
    });
  }

  function sendReview(edgeId, decision) {
    var edge = state.edges.get(edgeId);
    var before = edge.review.status;
    if (before && before !== decision &&
        !window.confirm("该关系已审核为“" + REVIEW_NAMES[before] + "”，确定改为“" + REVIEW_NAMES[decision] + "”吗？")) {
      return;
    }
    var body = {
      source: edge.review.source, target: edge.review.target,
      link_type: edge.review.link_type, decision: decision
    };
    postJson("/links/review", body, document.getElementById("link-review-message"), function () {
      var detail = edge.detail.replace(/审核：.*$/, "审核：" + REVIEW_NAMES[decision]);
      document.getElementById("link-review-detail").textContent = detail;
      if (decision === "rejected") {
        state.edges.remove(edge.id);
        applyFilters();
        return;
      }
      var review = Object.assign({}, edge.review, { status: decision });
      state.edges.update({
        id: edge.id, dashes: false, detail: detail, title: textTooltip(detail), review: review
      });
    });
  }

  // Gets JSON; a refusal or error shows its message in the status line instead of calling done.
  function getJson(url, done, message) {
    var show = message || setStatus;
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.json().catch(function () { return { message: "加载失败，请刷新页面后重试。" }; })
          .then(function (answer) {
            if (response.ok) { done(answer); } else { show(answer.message || "加载失败，请刷新页面后重试。"); }
          });
      }).catch(function () {
        show("无法连接服务器，请稍后重试。");
      });
  }

  function reloadDepth(depth) {
    var url = page.dataset.graphUrl + "?depth=" + encodeURIComponent(depth);
    setStatus("正在加载……");
    getJson(url, function (answer) {
      draw(answer);
      window.history.replaceState(null, "", window.location.pathname + "?depth=" + encodeURIComponent(depth));
    });
  }

  function findPath(event) {
    event.preventDefault();
    var message = document.getElementById("path-message");
    var target = document.getElementById("path-target").value.trim();
    var show = function (text) { message.textContent = text; };
    show("正在查找……");
    getJson(page.dataset.pathUrl + "?target=" + encodeURIComponent(target), function (answer) {
      show(answer.message);
      if (!answer.found) { return; }
      merge(answer, state.focus);
      highlightPath(answer.path, answer.path_edges);
    }, show);
  }

  // Marks the path's nodes and edges, after putting back the look of the previous path's ones.
  function highlightPath(nodeIds, edgeIds) {
    if (state.highlighted) {
      state.nodes.update(state.highlighted.nodes);
      state.edges.update(state.highlighted.edges);
    }
    state.highlighted = {
      nodes: nodeIds.map(function (id) { return { id: id, shadow: false }; }),
      edges: edgeIds.map(function (id) {
        var edge = state.edges.get(id);
        return { id: id, color: edge.color, width: edge.width || 1 };
      })
    };
    state.nodes.update(nodeIds.map(function (id) {
      return { id: id, hidden: false, shadow: { enabled: true, color: PATH_COLOR, size: 22, x: 0, y: 0 } };
    }));
    state.edges.update(edgeIds.map(function (id) {
      return { id: id, hidden: false, color: PATH_COLOR, width: 5, path: true };
    }));
    state.network.fit({ nodes: nodeIds, maxZoomLevel: 1.4, animation: false });
  }

  function enableFullscreen() {
    var button = document.getElementById("graph-fullscreen");
    if (!document.fullscreenEnabled) {
      button.hidden = true;
      return;
    }
    button.addEventListener("click", function () {
      if (document.fullscreenElement) {
        document.exitFullscreen();
      } else {
        page.requestFullscreen();
      }
    });
    document.addEventListener("fullscreenchange", function () {
      button.textContent = document.fullscreenElement ? "退出全屏" : "全屏显示";
      state.network.redraw();
      state.network.fit({ maxZoomLevel: 1.4, animation: false });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    page = document.getElementById("graph-page");
    container = document.getElementById("graph-canvas");
    var data = readJson("graph-data");
    if (!page || !container || !data || typeof vis === "undefined") { return; }
    draw(data);
    document.getElementById("graph-depth").addEventListener("change", function (event) {
      reloadDepth(event.target.value);
    });
    document.getElementById("path-form").addEventListener("submit", findPath);
    document.getElementById("graph-fit").addEventListener("click", function () {
      state.network.fit({ maxZoomLevel: 1.4, animation: false });
    });
    enableFullscreen();
  });
})();
