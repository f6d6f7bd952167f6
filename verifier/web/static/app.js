// Results page: scroll to a claim's evidence, select claims by click or keyboard, and follow the
// progress of a running check. Forms with data-confirm ask before they post.
(function () {
  "use strict";

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.dataset && form.dataset.confirm && !window.confirm(form.dataset.confirm)) event.preventDefault();
  });

  function hasClaim(mark, id) {
    return (" " + (mark.dataset.claims || "") + " ").indexOf(" " + id + " ") >= 0;
  }

  function activate(id, scrollTo) {
    document.querySelectorAll("mark.ev.active, li.claim.active").forEach(function (el) {
      el.classList.remove("active");
    });
    document.querySelectorAll("mark.ev").forEach(function (m) {
      if (hasClaim(m, id)) m.classList.add("active");
    });
    var item = document.getElementById("claim-" + id);
    if (item) item.classList.add("active");
    var target = document.getElementById(scrollTo === "claim" ? "claim-" + id : "ev-" + id);
    if (target) reveal(target);
  }

  // Scroll the pane that holds `el` (not the whole page) so that `el` sits a third of the way down.
  function reveal(el) {
    var pane = el.closest(".article-text, ol.claims");
    if (!pane || pane.scrollHeight <= pane.clientHeight) {
      el.scrollIntoView({ behavior: "smooth", block: "center" });
      return;
    }
    var top = el.getBoundingClientRect().top - pane.getBoundingClientRect().top + pane.scrollTop;
    pane.scrollTo({ top: Math.max(0, top - pane.clientHeight / 3), behavior: "smooth" });
    var box = pane.getBoundingClientRect();
    if (box.top < 0 || box.top > window.innerHeight / 2) pane.scrollIntoView({ behavior: "smooth", block: "start" });
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest("a.show-evidence");
    if (link) {
      event.preventDefault();
      activate(link.dataset.claim, "evidence");
      history.replaceState(null, "", "#ev-" + link.dataset.claim);
      return;
    }
    var mark = event.target.closest("mark.ev[data-claims]");
    if (mark && mark.closest("#article-text")) { activate(mark.dataset.claims.split(" ")[0], "claim"); return; }
    // a click anywhere on a claim card (not on its links, buttons or forms) selects it
    var card = event.target.closest("li.claim[data-claim]");
    if (card && !event.target.closest("a, button, input, select, textarea, summary, form, details")) {
      activate(card.dataset.claim, "evidence");
      history.replaceState(null, "", "#claim-" + card.dataset.claim);
    }
  });

  // Keyboard: j / ArrowDown next claim, k / ArrowUp previous, c confirm, x change the verdict.
  function cards() { return Array.prototype.slice.call(document.querySelectorAll("ol#claims li.claim[data-claim]")); }
  function current() { return document.querySelector("ol#claims li.claim.active"); }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    var el = event.target;
    if (el && el.closest && el.closest("input, textarea, select, [contenteditable]")) return;
    var list = cards();
    if (!list.length) return;
    var at = list.indexOf(current());
    var key = event.key;
    if (key === "j" || key === "ArrowDown" || key === "k" || key === "ArrowUp") {
      var step = (key === "j" || key === "ArrowDown") ? 1 : -1;
      var next = list[Math.min(list.length - 1, Math.max(0, at < 0 ? 0 : at + step))];
      event.preventDefault();
      activate(next.dataset.claim, "claim");
      var ev = document.getElementById("ev-" + next.dataset.claim);
      if (ev) reveal(ev);
      history.replaceState(null, "", "#claim-" + next.dataset.claim);
      return;
    }
    var card = current();
    if (!card) return;
    if (key === "c") {
      var confirmForm = card.querySelector("form.confirm-form");
      if (confirmForm) { event.preventDefault(); confirmForm.submit(); }
    } else if (key === "x") {
      var details = card.querySelector("details.review");
      if (details) {
        event.preventDefault();
        details.open = true;
        var select = details.querySelector("select[name=label]");
        if (select) select.focus();
      }
    }
  });

  var root = document.getElementById("results");
  if (!root) return;
  var articleId = root.dataset.article;

  function fromHash() {
    var m = /^#(ev|claim)-(\d+)$/.exec(location.hash);
    if (m) activate(m[2], m[1] === "ev" ? "evidence" : "claim");
  }

  function editing() {
    var el = document.activeElement;
    if (el && root.contains(el) && el.closest("form")) return true;
    return Array.prototype.some.call(root.querySelectorAll("textarea"), function (t) { return t.value !== t.defaultValue; })
      || root.querySelector("details.review[open], details.edit-claim[open], li.add-claims details[open]") !== null;
  }

  var shown = null;
  var waiting = false;
  var lastRefresh = Date.now();

  function refresh() {
    if (editing()) { waiting = true; return Promise.resolve(); }
    return fetch("/articles/" + articleId + "/results", { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
      .then(function (html) { root.innerHTML = html; waiting = false; });
  }

  function poll() {
    fetch("/api/articles/" + articleId + "/progress", { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(function (p) {
        var checked = p.done + p.failed;
        var bar = document.getElementById("progress");
        var text = document.getElementById("progress-text");
        if (bar) { bar.max = p.total; bar.value = checked; }
        if (text && !p.finished) text.textContent = "Checking: " + checked + " of " + p.total + " claims…";
        // big batches re-render a long page: refresh it every few seconds, not on every chunk
        var gap = p.total > 200 ? 8000 : 0;
        var due = checked !== shown && (p.finished || Date.now() - lastRefresh >= gap);
        var work = (due || waiting) ? refresh() : Promise.resolve();
        if (due) { shown = checked; lastRefresh = Date.now(); }
        return work.then(function () {
          if (!p.finished || waiting) setTimeout(poll, p.finished ? 2000 : 1000);
        });
      })
      .catch(function () { setTimeout(poll, 3000); });
  }

  var status = document.getElementById("status");
  if (status && status.dataset.finished === "false") {
    shown = Number(status.dataset.checked);
    setTimeout(poll, 800);
  }
  fromHash();
})();
