// Helpers shared by the pages' scripts: reading the JSON a page embeds, plain-text tooltips, and
// JSON posts that carry the page's CSRF token. Values come from source systems, so text is always
// inserted as text, never as HTML.
window.c360Page = (function () {
  "use strict";

  function readJson(id) {
    var element = document.getElementById(id);
    return element ? JSON.parse(element.textContent) : null;
  }

  function textTooltip(text) {
    var box = document.createElement("div");
    box.className = "graph-tooltip";
    box.textContent = text;
    return box;
  }

  // Posts JSON with the page's CSRF token, shows the answer's message, calls done on success.
  function postJson(url, body, message, done) {
    var token = document.querySelector("meta[name=csrf-token]");
    fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": token ? token.content : "" },
      body: JSON.stringify(body)
    }).then(function (response) {
      return response.json().catch(function () { return { message: "操作失败，请刷新页面后重试。" }; })
        .then(function (answer) {
          message.textContent = answer.message || "";
          if (response.ok) { done(answer); }
        });
    }).catch(function () {
      message.textContent = "无法连接服务器，请稍后重试。";
    });
  }

  return { readJson: readJson, textTooltip: textTooltip, postJson: postJson };
})();
