/* patientvoice LMS package runtime: the launch page. It keeps the LMS connection for the whole session (leaving
   this page would sever a SCORM API session), shows the module's pages in the inner frame, drives the pre- and
   post-test forms there, scores the post-test from the key on its page by the same rules as
   patientvoice/outcomes/scoring.py (every keyed single or multiple item counts; unanswered is wrong; multiple
   choice must match the key as a set; passed when correct / total >= pass mark) under the course's attempt
   policy (patientvoice/outcomes/attempts.py: attempt n counts when n <= attempts and no earlier attempt
   passed), and tells an adapter (scorm-api.js or cmi5-api.js) what to record. The adapter calls run(). */
(function () {
  "use strict";
  var cfg = JSON.parse(document.getElementById("pv-lms-config").textContent);
  var frame = document.querySelector("[data-pv-frame]"), status = document.querySelector("[data-pv-lms-status]");
  var pageIds = cfg.pages.map(function (p) { return p.id; });
  var itemsById = {};
  ["pre", "post"].forEach(function (ph) { cfg.items[ph].forEach(function (i) { itemsById[ph + ":" + i.id] = i; }); });
  var state = {v: 1, page: pageIds[0], pre: null, post: [], drafts: {}};
  var adapter = null, finished = false, shownAt = Date.now();

  function say(text) { status.textContent = text || ""; }
  function el(doc, tag, text, cls) {
    var e = doc.createElement(tag);
    if (text) e.textContent = text;
    if (cls) e.className = cls;
    return e;
  }

  /* The state the LMS keeps between sessions (suspend data / a State API document), cut to the adapter's
     limit: text answers go first, then older attempts' answers, then drafts; scores are always kept. */
  function serialise(limit) {
    var copy = JSON.parse(JSON.stringify(state)), text = JSON.stringify(copy);
    function stripText(answers) {
      Object.keys(answers || {}).forEach(function (k) { if (typeof answers[k] === "string") delete answers[k]; });
    }
    if (text.length > limit) {
      stripText(copy.pre); copy.post.forEach(function (a) { stripText(a.answers); });
      Object.keys(copy.drafts).forEach(function (k) { stripText(copy.drafts[k]); });
      text = JSON.stringify(copy);
    }
    for (var i = 0; text.length > limit && i < copy.post.length - 1; i++) {
      delete copy.post[i].answers; delete copy.post[i].items; text = JSON.stringify(copy);
    }
    if (text.length > limit) { copy.drafts = {}; text = JSON.stringify(copy); }
    return text;
  }
  function restore(text) {
    if (!text) return;
    try {
      var s = JSON.parse(text);
      if (s && s.v === 1) state = {v: 1, page: s.page || pageIds[0], pre: s.pre || null, post: s.post || [],
        drafts: s.drafts || {}};
    } catch (e) { /* unreadable suspend data: start afresh rather than stop the learner */ }
  }
  function save() { if (adapter && !finished) adapter.save(serialise(adapter.limit), state.page); }

  /* Scoring: patientvoice/outcomes/scoring.py, on the key the post-test page carries. */
  function same(expected, given) {
    var sorted = function (a) {
      return a.filter(function (v, i) { return a.indexOf(v) === i; }).sort(function (x, y) { return x - y; }).join();
    };
    return Array.isArray(expected) ? Array.isArray(given) && sorted(given) === sorted(expected) : given === expected;
  }
  function score(key, answers) {
    var ids = Object.keys(key.items), right = 0, items = {};
    ids.forEach(function (id) { items[id] = same(key.items[id].answer, answers[id]); if (items[id]) right += 1; });
    var total = ids.length, out = {items: items, correct: right, total: total,
      share: total ? Math.round(right / total * 10000) / 10000 : null};
    if (total) out.passed = right / total >= cfg.pass_mark;
    return out;
  }
  /* patientvoice/outcomes/attempts.py counting(): attempt n counts if n <= attempts and none before it passed. */
  function counts(n) {
    return n <= cfg.attempts && !state.post.slice(0, n - 1).some(function (a) { return a.passed; });
  }
  function standing() { // the attempt that stands for the LMS: the first counted pass, else the last counted one
    var counted = state.post.filter(function (a) { return a.counts; });
    return counted.filter(function (a) { return a.passed; })[0] || counted[counted.length - 1] || null;
  }

  /* One record per answered item, for the adapter to turn into SCORM interactions or xAPI statements. */
  function interactions(phase, answers, key, attempt, latencyMs) {
    return cfg.items[phase].filter(function (i) { return answers[i.id] !== undefined; }).map(function (i) {
      var k = key && key.items[i.id], response = answers[i.id];
      return {id: phase + (attempt ? "-a" + attempt : "") + "-" + i.id, item: i.id, phase: phase, kind: i.kind,
        stem: i.stem, objective: i.objective, options: i.options, labels: i.labels, response: response,
        attempt: attempt,
        correct: k ? k.answer : null, result: k ? (same(k.answer, response) ? "correct" : "wrong") : "neutral",
        latencyMs: latencyMs};
    });
  }

  /* The forms on the pre- and post-test pages (patientvoice/templates/questionnaire.html). */
  function wire(doc, phase) {
    var root = doc.querySelector("[data-pv-questionnaire]");
    if (!root) return;
    var $ = function (s, e) { return (e || root).querySelector(s); };
    var $$ = function (s, e) { return [].slice.call((e || root).querySelectorAll(s)); };
    var form = $("form.pv-questionnaire"), items = $$("[data-item]", form);
    var errors = $("[data-pv-errors]"), result = $("[data-pv-result]"), again = $("[data-pv-again]");
    var keyEl = doc.getElementById("pv-key"), key = keyEl ? JSON.parse(keyEl.textContent) : null;
    var note = $("[data-pv-status]");
    $$("[data-pv-learner], [data-pv-responses], noscript").forEach(function (e) { e.hidden = true; });
    function read(item) {
      var area = $("textarea", item);
      if (area) { var v = area.value.trim(); return v ? v : undefined; }
      var on = $$("input:checked", item).map(function (i) { return Number(i.value); });
      if (!on.length) return undefined;
      return item.dataset.kind === "multiple" ? on : on[0];
    }
    function readAll() {
      var a = {};
      items.forEach(function (item) { var v = read(item); if (v !== undefined) a[item.dataset.item] = v; });
      return a;
    }
    function fill(answers) {
      items.forEach(function (item) {
        var v = answers[item.dataset.item], area = $("textarea", item);
        if (area) { area.value = typeof v === "string" ? v : ""; return; }
        $$("input", item).forEach(function (i) {
          i.checked = Array.isArray(v) ? v.indexOf(Number(i.value)) >= 0 : v === Number(i.value);
        });
      });
    }
    function lock(on) {
      $$("input, textarea, button", form).forEach(function (c) { c.disabled = on; });
      $("[data-pv-reset]").hidden = true;
      $("[data-pv-saved]").hidden = on;
      $("[data-pv-saved]").textContent = "Your answers are kept by your learning management system as you go.";
    }
    function tell(text) { note.textContent = ""; if (text) note.appendChild(el(doc, "p", text)); }
    function missing() {
      return items.filter(function (i) { return i.hasAttribute("data-required") && read(i) === undefined; });
    }
    function showMissing(list) {
      errors.textContent = "";
      errors.appendChild(el(doc, "h2", list.length === 1 ? "There is a problem" : "There are " + list.length + " problems"));
      var ul = errors.appendChild(el(doc, "ul"));
      list.forEach(function (item) {
        var a = ul.appendChild(el(doc, "li")).appendChild(el(doc, "a", "Question " + (items.indexOf(item) + 1) + " has no answer"));
        a.href = "#item-" + item.dataset.item;
      });
      errors.classList.add("pv-q__errors--shown");
      errors.focus();
    }
    function feedback(attempt) {
      $$(".pv-feedback, .pv-option__key", form).forEach(function (f) { f.remove(); });
      var n = state.post.indexOf(attempt) + 1, shown = cfg.show_key === "always" ||
        (cfg.show_key !== "never" && (attempt.passed || n >= cfg.attempts ||
          state.post.slice(0, n - 1).some(function (a) { return a.passed; })));
      Object.keys(key.items).forEach(function (id) {
        var item = doc.getElementById("item-" + id), ok = attempt.items[id];
        var box = item.appendChild(el(doc, "div", "", "pv-feedback pv-feedback--" + (ok ? "right" : "wrong")));
        if (!shown) { box.appendChild(el(doc, "p", ok ? "Correct." : "Not right: look at this question again.")); return; }
        [].concat(key.items[id].answer).forEach(function (o) {
          var label = $("label[for='q-" + id + "-" + o + "']", item);
          if (label) label.appendChild(el(doc, "span", " correct answer", "pv-option__key"));
        });
        box.appendChild(el(doc, "p", ok ? "Correct." : "Not quite: the correct answer is marked."));
        box.appendChild(el(doc, "p", key.items[id].rationale));
      });
      var stands = standing(), words = attempt.counts ? "This attempt counts." :
        "This attempt does not count: " + (stands && stands.passed ? "you had already passed." :
          "only your first " + cfg.attempts + (cfg.attempts === 1 ? " attempt counts." : " attempts count."));
      result.textContent = "";
      result.className = "pv-q__result pv-q__result--" + (attempt.passed ? "passed" : "failed");
      result.appendChild(el(doc, "h2", "Your result"));
      result.appendChild(el(doc, "p", "You answered " + attempt.correct + " of " + attempt.total +
        " knowledge questions correctly (" + Math.round(attempt.share * 100) + "%). The pass mark is " +
        Math.round(cfg.pass_mark * 100) + "%: " + (attempt.passed ? "you passed." : "you have not passed.") + " " + words));
      result.appendChild(el(doc, "p", "Your result has been sent to your learning management system."));
      result.hidden = false;
      again.hidden = false; again.disabled = false;
    }
    function submitted() {
      if (phase === "pre") {
        fill(state.pre); lock(true);
        tell("You submitted the pre-test. Go on to the module with “Next page”.");
      } else {
        var last = state.post[state.post.length - 1];
        fill(last.answers || {}); lock(true); feedback(last);
        tell("You submitted attempt " + state.post.length + " of the post-test.");
      }
    }
    form.addEventListener("input", function () { state.drafts[phase] = readAll(); save(); });
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var gaps = missing();
      if (gaps.length) return showMissing(gaps);
      errors.textContent = ""; errors.classList.remove("pv-q__errors--shown");
      var answers = readAll(), latency = Date.now() - shownAt;
      delete state.drafts[phase];
      if (phase === "pre") {
        state.pre = answers;
        adapter.pre(interactions("pre", answers, null, 0, latency));
      } else {
        var s = score(key, answers), n = state.post.length + 1;
        var attempt = {answers: answers, items: s.items, correct: s.correct, total: s.total, share: s.share,
          passed: !!s.passed, counts: counts(n), at: new Date().toISOString()};
        state.post.push(attempt);
        adapter.post({attempt: n, counts: attempt.counts, score: s, standing: standing(), passMark: cfg.pass_mark,
          interactions: interactions("post", answers, key, n, latency)});
      }
      save(); adapter.commit();
      submitted();
      (phase === "post" ? result : note).focus();
    });
    again.addEventListener("click", function () {
      $$(".pv-feedback, .pv-option__key", form).forEach(function (f) { f.remove(); });
      result.hidden = true; again.hidden = true; fill(state.drafts.post || {}); lock(false); tell("");
      shownAt = Date.now();
      $("input, textarea", form).focus();
    });
    if (phase === "pre" ? state.pre : state.post.length) submitted();
    else { fill(state.drafts[phase] || {}); lock(false); }
    var submit = $("[data-pv-submit]");
    if (!(phase === "pre" && state.pre) && !(phase === "post" && state.post.length)) submit.disabled = false;
  }

  function show(id) {
    var page = cfg.pages[Math.max(0, pageIds.indexOf(id))];
    frame.src = page.href;
  }
  frame.addEventListener("load", function () {
    var doc = frame.contentDocument, id = doc && doc.body && doc.body.dataset.pvPage;
    if (!id) return;
    state.page = id; shownAt = Date.now();
    frame.title = doc.title; // the frame is named for the page it shows
    [].forEach.call(document.querySelectorAll("[data-pv-nav]"), function (a) {
      if (a.dataset.pvNav === id) a.setAttribute("aria-current", "page"); else a.removeAttribute("aria-current");
    });
    document.querySelector("[data-pv-prev]").disabled = pageIds.indexOf(id) === 0;
    document.querySelector("[data-pv-next]").disabled = pageIds.indexOf(id) === pageIds.length - 1;
    if (id === "pre" || id === "post") wire(doc, id);
    save();
    if (adapter && !finished) adapter.commit(); // a page change is rare: let the LMS keep the place now
  });
  function step(by) { show(pageIds[Math.min(pageIds.length - 1, Math.max(0, pageIds.indexOf(state.page) + by))]); }
  document.querySelector("[data-pv-prev]").addEventListener("click", function () { step(-1); });
  document.querySelector("[data-pv-next]").addEventListener("click", function () { step(1); });
  function finish() {
    if (finished || !adapter) return;
    save(); finished = true; adapter.finish();
  }
  document.querySelector("[data-pv-exit]").addEventListener("click", function () {
    finish();
    // The session is over: nothing more could be recorded, so nothing more can be answered.
    frame.hidden = true;
    [].forEach.call(document.querySelectorAll("[data-pv-prev], [data-pv-next], [data-pv-exit]"),
      function (b) { b.disabled = true; });
    [].forEach.call(document.querySelectorAll("[data-pv-nav]"), function (a) { a.removeAttribute("href"); });
    say("Your place and answers are saved. You can close this window.");
  });
  window.addEventListener("pagehide", finish);

  window.patientvoiceLMS = {
    config: cfg,
    state: function () { return JSON.parse(JSON.stringify(state)); },
    finish: finish,
    /* Start with an adapter: {limit, start() -> Promise<{data, location}>, save(data, location), pre(records),
       post(result), commit(), finish()}. The adapter resolves start() once the LMS connection is open. */
    run: function (a) {
      adapter = a;
      a.start().then(function (saved) {
        restore(saved && saved.data);
        var at = saved && saved.location && pageIds.indexOf(saved.location) >= 0 ? saved.location : state.page;
        if (saved && saved.data) say("Welcome back: you are where you left off.");
        show(at);
      }, function (err) {
        say("This module could not connect to your learning management system (" + err + "). Your progress " +
          "will not be recorded; open the module from the learning management system again.");
        var none = function () {};  // carry on without recording, rather than stop the learner
        adapter = {limit: 1e9, save: none, pre: none, post: none, commit: none, finish: none};
        show(state.page);
      });
    }
  };
})();
