/* patientvoice questionnaires, part 1: what this browser keeps. The learner code, drafts, submitted responses
   (with their delivery status), delivery to the collector with retries, and downloads. No page logic here;
   questionnaire.js uses it as window.patientvoiceStore. */
(function () {
  "use strict";
  var ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"; // no 0/O or 1/I: codes are copied by hand between devices
  var CODE_RE = /^[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}$/;
  var MAX_WAIT = 3e5; // retries back off from 2 s to at most 5 minutes
  var sending = false, wait = 0, timer = null;

  // localStorage can be off (private modes, policies); the page then still works, it just forgets.
  function load(k, fallback) {
    try { var v = localStorage.getItem("patientvoice:" + k); return v === null ? fallback : JSON.parse(v); }
    catch (e) { return fallback; }
  }
  function save(k, v) {
    try { localStorage.setItem("patientvoice:" + k, JSON.stringify(v)); } catch (e) { /* see load() */ }
  }
  function drop(k) { try { localStorage.removeItem("patientvoice:" + k); } catch (e) { /* see load() */ } }

  function newCode() {
    var bytes = new Uint8Array(8), s = "";
    crypto.getRandomValues(bytes);
    for (var i = 0; i < 8; i++) s += ALPHABET[bytes[i] % 32]; // 256 is 8 × 32: every character equally likely
    return s.slice(0, 4) + "-" + s.slice(4);
  }
  /* The learner's code, made on the first visit. */
  function learner() {
    var code = load("learner", "");
    if (!CODE_RE.test(code)) { code = newCode(); save("learner", code); }
    return code;
  }
  /* A typed code in its canonical form (k7qf 3m9x → K7QF-3M9X), or null when it is not a code. */
  function parseCode(text) {
    var raw = String(text).toUpperCase().replace(/[\s\u2010-\u2015-]/g, "");
    var code = raw.length === 8 ? raw.slice(0, 4) + "-" + raw.slice(4) : raw;
    return CODE_RE.test(code) ? code : null;
  }

  /* Records: {response, status: local | queued | received | rejected, error?}, oldest first, all modules. */
  function records() { return load("responses", []); }
  function add(record) { var all = records(); all.push(record); save("responses", all); }
  function same(a, b) {
    return a.module === b.module && a.phase === b.phase && a.learner === b.learner && a.submitted === b.submitted;
  }
  function latest(module, phase) {
    return records().filter(function (r) {
      return r.response.module === module && r.response.phase === phase;
    }).pop();
  }

  /* What this browser's records add up to for one module and learner, under the attempt policy: the first
     `attempts` post-tests submitted count, and the first passing one among them earns credit. A post-test's
     `score` is the post page's own scoring ({correct, total, share, passed}); the collector scores again. */
  function standing(module, learner, attempts, evaluation) {
    var mine = records().filter(function (r) { return r.response.module === module && r.response.learner === learner; });
    var posts = mine.filter(function (r) { return r.response.phase === "post"; }).sort(function (a, b) {
      return a.response.submitted < b.response.submitted ? -1 : a.response.submitted > b.response.submitted ? 1 : 0;
    });
    var counted = posts.slice(0, Math.max(1, attempts || 1));
    var passed = counted.filter(function (r) { return r.score && r.score.passed; })[0] || null;
    // As the collector: the evaluation answered in the counting submission or a later one.
    var answered = posts.slice(passed ? posts.indexOf(passed) : 0).some(function (r) {
      return (evaluation || []).every(function (id) { return r.response.answers[id] !== undefined; });
    });
    return {pre: mine.some(function (r) { return r.response.phase === "pre"; }), posts: posts, attempts: counted.length,
      allowed: Math.max(1, attempts || 1), passed: passed, exhausted: !passed && counted.length >= (attempts || 1),
      evaluation: answered, eligible: !!passed && answered};
  }

  /* Certificates the collector issued to this browser: {certificate, pdf, verify, module, activity, title,
     credits, claimed}, oldest first. They are links only; the certificate itself stays with the provider. */
  function certificates(module) {
    return load("certificates", []).filter(function (c) { return !module || c.module === module; });
  }
  function addCertificate(c) {
    var all = load("certificates", []).filter(function (x) { return x.certificate !== c.certificate; });
    all.push(c); save("certificates", all);
  }

  /* Delivery: POST each queued record; keep it queued on network errors and 5xx, retry with backoff. */
  function post(url, r) {
    return fetch(url, {method: "POST", headers: {"Content-Type": "application/json"}, credentials: "omit",
      body: JSON.stringify(r.response)}).then(function (res) {
      if (res.ok) return {status: "received"};
      if (res.status >= 500 || res.status === 408 || res.status === 429) return {status: "queued"};
      return res.text().then(function (t) { return {status: "rejected", error: res.status + " " + t.slice(0, 200)}; });
    }, function () { return {status: "queued"}; });
  }
  function flush(url, done) {
    if (!url || sending) return;
    clearTimeout(timer);
    var queue = records().filter(function (r) { return r.status === "queued"; });
    if (!queue.length) return;
    sending = true;
    queue.reduce(function (chain, r) {
      return chain.then(function () {
        return post(url, r).then(function (outcome) {
          var all = records(); // re-read: another tab may have changed the list meanwhile
          all.forEach(function (x) {
            if (same(x.response, r.response)) { x.status = outcome.status; if (outcome.error) x.error = outcome.error; }
          });
          save("responses", all);
        });
      });
    }, Promise.resolve()).then(function () {
      sending = false;
      var left = records().some(function (r) { return r.status === "queued"; });
      wait = left ? Math.min(wait ? wait * 2 : 2000, MAX_WAIT) : 0;
      if (left) timer = setTimeout(function () { flush(url, done); }, wait);
      if (done) done();
    });
  }
  function online(url, done) {
    window.addEventListener("online", function () { wait = 0; flush(url, done); });
  }

  /* Downloads: every response in this browser, as JSON (the format's objects) or CSV (one row per answer). */
  function csvCell(v) {
    var s = String(v);
    if (/^[=+\-@\t\r]/.test(s)) s = "'" + s; // a spreadsheet would run a leading = + - @ as a formula
    return /[",\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
  }
  function toCsv(list) {
    var rows = [["activity", "module", "phase", "learner", "submitted", "item", "answer"]];
    list.forEach(function (r) {
      Object.keys(r.answers).forEach(function (id) {
        var v = r.answers[id];
        rows.push([r.activity, r.module, r.phase, r.learner, r.submitted, id, Array.isArray(v) ? v.join(";") : v]);
      });
    });
    return rows.map(function (row) { return row.map(csvCell).join(","); }).join("\r\n") + "\r\n";
  }
  function download(kind) {
    var list = records().map(function (r) { return r.response; });
    var body = kind === "json" ? JSON.stringify(list, null, 2) + "\n" : toCsv(list);
    var a = document.createElement("a");
    a.href = URL.createObjectURL(new Blob([body], {type: kind === "json" ? "application/json" : "text/csv"}));
    a.download = "patientvoice-responses-" + learner() + "." + kind;
    document.body.appendChild(a); a.click(); a.remove();
    setTimeout(function () { URL.revokeObjectURL(a.href); }, 1000);
  }

  window.patientvoiceStore = {load: load, save: save, drop: drop, learner: learner, parseCode: parseCode,
    records: records, add: add, latest: latest, flush: flush, online: online, download: download,
    standing: standing, certificates: certificates, addCertificate: addCertificate};
})();
