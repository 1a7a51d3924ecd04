/* patientvoice SCORM adapter: finds the LMS's API object (SCORM 1.2 "API" or SCORM 2004 "API_1484_11") by
   walking up the parent frames and then the opener's, as the SCORM Run-Time Environment describes, opens one
   session for the whole launch, and records what lms-runtime.js reports: location and suspend data, the
   post-test score (raw/min/max, and scaled in 2004), pass or fail, completion, session time, and one
   interaction per answered question with its objective. The version is the one the package declares. */
(function () {
  "use strict";
  var cfg = window.patientvoiceLMS.config, v12 = cfg.adapter === "scorm12";
  var NAME = v12 ? "API" : "API_1484_11";
  var api = null, started = Date.now();

  function look(win) {
    for (var tries = 0; win && tries < 500; tries++) {
      try { if (win[NAME]) return win[NAME]; } catch (e) { /* a frame of another origin: keep climbing */ }
      if (!win.parent || win.parent === win) break;
      win = win.parent;
    }
    return null;
  }
  function find() {
    var found = look(window);
    try { if (!found && window.opener) found = look(window.opener); } catch (e) { /* opener closed */ }
    try { if (!found && window.top.opener) found = look(window.top.opener); } catch (e) { /* no access */ }
    return found;
  }
  function get(el) { return String(v12 ? api.LMSGetValue(el) : api.GetValue(el)); }
  function set(el, value) {
    var ok = v12 ? api.LMSSetValue(el, String(value)) : api.SetValue(el, String(value));
    if (String(ok) !== "true" && window.console) {
      console.warn("patientvoice: the LMS refused " + el + " = " + value + " (error " +
        (v12 ? api.LMSGetLastError() : api.GetLastError()) + ")");
    }
  }
  function pad(n, w) { n = String(n); while (n.length < w) n = "0" + n; return n; }
  function timespan12(ms) { // HHHH:MM:SS.SS
    var s = ms / 1000, h = Math.floor(s / 3600), m = Math.floor(s % 3600 / 60), sec = (s % 60).toFixed(2);
    return pad(Math.min(h, 9999), 4) + ":" + pad(m, 2) + ":" + pad(sec, 5);
  }
  function duration(ms) { // ISO 8601, e.g. PT1H2M3.5S
    var s = Math.round(ms / 10) / 100, h = Math.floor(s / 3600), m = Math.floor(s % 3600 / 60);
    var rest = Math.round((s - h * 3600 - m * 60) * 100) / 100;
    return "PT" + (h ? h + "H" : "") + (m ? m + "M" : "") + rest + "S";
  }
  var LETTERS = "abcdefghijklmnopqrstuvwxyz";
  function letter(i) { return i < 26 ? LETTERS[i] : String(i); }
  function response(r, kind) {
    if (kind === "text" || kind === "commitment") {
      var t = String(r).replace(/\s+/g, " ").replace(/^\{/, "(").trim();
      return v12 ? t.slice(0, 255) : t.slice(0, 4000);
    }
    return [].concat(r).map(letter).join(v12 ? "," : "[,]");
  }
  function type(kind) {
    if (kind === "likert") return "likert";
    if (kind === "text" || kind === "commitment") return v12 ? "fill-in" : "long-fill-in";
    return "choice";
  }
  function interaction(r) {
    var n = Number(get("cmi.interactions._count")) || 0, p = "cmi.interactions." + n + ".";
    set(p + "id", r.id); // first: every other field depends on it
    set(p + "type", type(r.kind));
    if (r.objective) set(p + "objectives.0.id", r.objective);
    if (v12) set(p + "time", new Date().toTimeString().slice(0, 8));
    else {
      set(p + "timestamp", new Date().toISOString().slice(0, 22) + "Z");
      set(p + "description", r.stem.replace(/\s+/g, " ").slice(0, 250));
    }
    if (r.correct !== null && r.correct !== undefined) {
      set(p + "weighting", "1");
      set(p + "correct_responses.0.pattern", response(r.correct, r.kind));
    }
    set(p + (v12 ? "student_response" : "learner_response"), response(r.response, r.kind));
    set(p + "result", r.result === "wrong" && !v12 ? "incorrect" : r.result);
    if (r.latencyMs) set(p + "latency", v12 ? timespan12(r.latencyMs) : duration(r.latencyMs));
  }

  /* Per learning objective: the share of its post-test knowledge items right in the attempt that stands, as
     a score, with the objective completed. No pass or fail: the pass mark is set for the module, not per
     objective. */
  function objectives(items) {
    var byObjective = {};
    cfg.items.post.forEach(function (i) {
      if (i.objective && Object.prototype.hasOwnProperty.call(items, i.id)) {
        (byObjective[i.objective] = byObjective[i.objective] || []).push(items[i.id]);
      }
    });
    Object.keys(byObjective).forEach(function (id) {
      var count = Number(get("cmi.objectives._count")) || 0, n = count;
      for (var k = 0; k < count; k++) if (get("cmi.objectives." + k + ".id") === id) n = k;
      var p = "cmi.objectives." + n + ".", list = byObjective[id];
      var share = list.filter(Boolean).length / list.length;
      if (n === count) set(p + "id", id);
      set(p + "score.min", "0"); set(p + "score.max", "100");
      set(p + "score.raw", Math.round(share * 10000) / 100);
      if (v12) set(p + "status", "completed");
      else { set(p + "score.scaled", Math.round(share * 10000) / 10000); set(p + "completion_status", "completed"); }
    });
  }

  window.patientvoiceLMS.run({
    limit: v12 ? 4096 : 64000,
    start: function () {
      api = find();
      if (!api) return Promise.reject("no SCORM " + (v12 ? "1.2" : "2004") + " API was found");
      if (String(v12 ? api.LMSInitialize("") : api.Initialize("")) !== "true") return Promise.reject("the LMS refused to start a session");
      var status = get(v12 ? "cmi.core.lesson_status" : "cmi.completion_status");
      if (status === "not attempted" || status === "unknown" || status === "") {
        set(v12 ? "cmi.core.lesson_status" : "cmi.completion_status", "incomplete");
      }
      // A first launch (entry ab-initio) has neither; a resumed one has both.
      return Promise.resolve({data: get("cmi.suspend_data") || null,
        location: get(v12 ? "cmi.core.lesson_location" : "cmi.location") || null});
    },
    save: function (data, location) {
      set("cmi.suspend_data", data);
      set(v12 ? "cmi.core.lesson_location" : "cmi.location", location);
    },
    pre: function (records) { records.forEach(interaction); },
    post: function (result) {
      result.interactions.forEach(interaction);
      var s = result.standing; // the attempt that stands under the attempt policy; unchanged by later ones
      if (s) {
        var raw = Math.round(s.share * 10000) / 100;
        set(v12 ? "cmi.core.score.min" : "cmi.score.min", "0");
        set(v12 ? "cmi.core.score.max" : "cmi.score.max", "100");
        set(v12 ? "cmi.core.score.raw" : "cmi.score.raw", raw);
        if (v12) set("cmi.core.lesson_status", s.passed ? "passed" : "failed");
        else {
          set("cmi.score.scaled", s.share);
          set("cmi.success_status", s.passed ? "passed" : "failed");
        }
      }
      if (!v12) set("cmi.completion_status", "completed"); // 1.2: passed and failed both mean completed
      if (s && s.items) objectives(s.items);
    },
    commit: function () { if (v12) api.LMSCommit(""); else api.Commit(""); },
    finish: function () {
      // Suspend, always: a relaunch resumes with the answers and the result instead of starting a new attempt.
      set(v12 ? "cmi.core.exit" : "cmi.exit", "suspend");
      set(v12 ? "cmi.core.session_time" : "cmi.session_time", v12 ? timespan12(Date.now() - started) : duration(Date.now() - started));
      if (v12) { api.LMSCommit(""); api.LMSFinish(""); } else { api.Commit(""); api.Terminate(""); }
    }
  });
})();
