/* patientvoice cmi5 adapter: the AU side of cmi5 (quartz). It reads the launch parameters (endpoint, fetch,
   actor, registration, activityId), fetches its auth token once, reads LMS.LaunchData from the State API
   (required) and the learner preferences (optional), then sends, in order: initialized; "answered" for each
   question; completed once per registration when the post-test is submitted; passed or failed for an attempt
   that counts under the attempt policy (never passed twice, never failed after passed, at most one failed per
   session); terminated last. cmi5-defined statements carry the LMS's contextTemplate, the registration, the
   cmi5 category (and moveOn when they have a result), the masteryScore extension on passed and failed, and an
   ISO 8601 duration. In Browse or Review launch mode nothing but initialized and terminated is sent.
   The package's own place and answers are a State API document of its own ("patientvoice.state"). */
(function () {
  "use strict";
  var LMS = window.patientvoiceLMS, cfg = LMS.config;
  var VERB = "http://adlnet.gov/expapi/verbs/", CMI5 = "https://w3id.org/xapi/cmi5/context/";
  var XAPI_VERSION = "1.0.3", STATE = "patientvoice.state";
  var q = new URLSearchParams(location.search), launch = {}, auth = null, launchData = null;
  var started = null, queue = Promise.resolve(), sent = {}, failedThisSession = false;

  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = crypto.getRandomValues(new Uint8Array(16)), h = [];
    b[6] = b[6] & 15 | 64; b[8] = b[8] & 63 | 128;
    for (var i = 0; i < 16; i++) h.push((b[i] + 256).toString(16).slice(1));
    return h.slice(0, 4).join("") + "-" + h.slice(4, 6).join("") + "-" + h.slice(6, 8).join("") + "-" +
      h.slice(8, 10).join("") + "-" + h.slice(10).join("");
  }
  function duration(ms) {
    var s = Math.round(ms / 10) / 100, h = Math.floor(s / 3600), m = Math.floor(s % 3600 / 60);
    return "PT" + (h ? h + "H" : "") + (m ? m + "M" : "") + Math.round((s - h * 3600 - m * 60) * 100) / 100 + "S";
  }
  function url(path, params) {
    var base = launch.endpoint.replace(/\/?$/, "/");
    return base + path + (params ? "?" + new URLSearchParams(params).toString() : "");
  }
  function call(method, target, body, keepalive) {
    var headers = {"X-Experience-API-Version": XAPI_VERSION, "Authorization": auth};
    if (body !== undefined) headers["Content-Type"] = "application/json";
    return fetch(target, {method: method, headers: headers, keepalive: !!keepalive,
      body: body === undefined ? undefined : JSON.stringify(body)});
  }
  function stateParams(stateId) {
    var p = {stateId: stateId, activityId: launch.activityId, agent: JSON.stringify(launch.actor)};
    if (launch.registration) p.registration = launch.registration;
    return p;
  }

  function context(category, extra) {
    var c = JSON.parse(JSON.stringify((launchData && launchData.contextTemplate) || {}));
    c.registration = launch.registration;
    c.contextActivities = c.contextActivities || {};
    if (category) {
      c.contextActivities.category = (c.contextActivities.category || []).concat(category.map(function (id) {
        return {id: CMI5 + "categories/" + id, objectType: "Activity"};
      }));
    }
    if (extra) {
      c.extensions = c.extensions || {};
      Object.keys(extra).forEach(function (k) { c.extensions[k] = extra[k]; });
    }
    return c;
  }
  function statement(verb, extra) {
    var s = {id: uuid(), timestamp: new Date().toISOString(), actor: launch.actor,
      verb: {id: verb.indexOf(":") > 0 ? verb : VERB + verb, display: {"en-US": verb.split("/").pop()}},
      object: {id: launch.activityId, objectType: "Activity"}};
    Object.keys(extra || {}).forEach(function (k) { s[k] = extra[k]; });
    return s;
  }
  function send(s, keepalive) { // in order: each statement waits for the one before
    queue = queue.then(function () {
      return call("PUT", url("statements", {statementId: s.id}), s, keepalive).then(function (r) {
        if (!r.ok) throw new Error("the LRS answered " + r.status + " to " + s.verb.display["en-US"]);
      });
    }).catch(function (e) { if (window.console) console.warn("patientvoice: " + e.message); });
    return queue;
  }
  function cmi5Statement(verb, result, withMastery) {
    var extra = {};
    if (withMastery && launchData.masteryScore !== undefined) extra[CMI5 + "extensions/masteryscore"] = launchData.masteryScore;
    var moveOn = result && (result.success !== undefined || result.completion !== undefined);
    return statement(verb, {result: result, context: context(moveOn ? ["cmi5", "moveon"] : ["cmi5"], extra)});
  }
  var LETTERS = "abcdefghijklmnopqrstuvwxyz";
  function ids(v) { return [].concat(v).map(function (i) { return i < 26 ? LETTERS[i] : String(i); }).join("[,]"); }
  function answered(r) {
    var text = r.kind === "text" || r.kind === "commitment";
    var def = {type: "http://adlnet.gov/expapi/activities/cmi.interaction", name: {"en-US": r.stem.slice(0, 250)},
      description: {"en-US": r.stem},
      interactionType: r.kind === "likert" ? "likert" : text ? "long-fill-in" : "choice"};
    if (!text) {
      var list = (r.labels || []).map(function (label, i) { return {id: ids(i), description: {"en-US": label}}; });
      if (r.kind === "likert") def.scale = list; else def.choices = list;
    }
    if (r.correct !== null && r.correct !== undefined) def.correctResponsesPattern = [ids(r.correct)];
    var result = {response: text ? String(r.response) : ids(r.response)};
    if (r.result !== "neutral") result.success = r.result === "correct";
    if (r.latencyMs) result.duration = duration(r.latencyMs);
    var c = context(null, {"https://w3id.org/xapi/cmi5/context/extensions/sessionid": sessionId()});
    c.contextActivities.parent = [{id: launch.activityId, objectType: "Activity"}];
    if (r.objective) c.contextActivities.other = [{id: launch.activityId + "/objectives/" + r.objective, objectType: "Activity"}];
    c.extensions["urn:x-patientvoice:xapi:phase"] = r.phase;
    if (r.attempt) c.extensions["urn:x-patientvoice:xapi:attempt"] = r.attempt;
    return statement("answered", {object: {id: launch.activityId + "/items/" + r.item, objectType: "Activity",
      definition: def}, result: result, context: c});
  }
  function sessionId() {
    var ext = launchData && launchData.contextTemplate && launchData.contextTemplate.extensions;
    return ext ? ext[CMI5 + "extensions/sessionid"] : undefined;
  }
  function normal() { return !launchData.launchMode || launchData.launchMode === "Normal"; }
  function since() { return duration(Date.now() - started); }
  function keep(data, location) { // queued with the statements, so an older copy never lands after a newer one
    var doc = {data: data, location: location, sent: sent};
    queue = queue.then(function () {
      return call("PUT", url("activities/state", stateParams(STATE)), doc, true);
    }).catch(function () {});
    return queue;
  }
  var last = {data: null, location: null}, timer = null;

  ["endpoint", "fetch", "actor", "registration", "activityId"].forEach(function (k) { launch[k] = q.get(k); });
  LMS.run({
    limit: 1e6,
    start: function () {
      var missing = ["endpoint", "fetch", "actor", "registration", "activityId"].filter(function (k) { return !launch[k]; });
      if (missing.length) return Promise.reject("the launch address has no " + missing.join(", ") + " (cmi5 launch parameters)");
      try { launch.actor = JSON.parse(launch.actor); } catch (e) { return Promise.reject("the actor parameter is not JSON"); }
      return fetch(launch.fetch, {method: "POST"}).then(function (r) { return r.json(); }).then(function (body) {
        if (!body["auth-token"]) throw new Error("the LMS gave no token (error " + body["error-code"] + ": " + body["error-text"] + ")");
        auth = "Basic " + body["auth-token"];
        return call("GET", url("activities/state", stateParams("LMS.LaunchData")));
      }).then(function (r) {
        if (!r.ok) throw new Error("LMS.LaunchData could not be read (" + r.status + ")");
        return r.json();
      }).then(function (data) {
        launchData = data;
        if (typeof data.masteryScore === "number") cfg.pass_mark = data.masteryScore; // cmi5: the LMS's masteryScore rules
        return call("GET", url("agents/profile", {agent: JSON.stringify(launch.actor), profileId: "cmi5LearnerPreferences"}))
          .catch(function () { return null; }); // optional: a missing profile is not an error
      }).then(function () {
        return call("GET", url("activities/state", stateParams(STATE)));
      }).then(function (r) { return r.ok ? r.json() : null; }).then(function (saved) {
        sent = (saved && saved.sent) || {};
        started = Date.now();
        send(cmi5Statement("initialized"));
        return saved ? {data: saved.data, location: saved.location} : null;
      }).catch(function (e) { throw (e && e.message) || String(e); });
    },
    save: function (data, location) {
      if (data === last.data && location === last.location) return;
      last = {data: data, location: location};
      // Typing saves on every key: write the state document at most once a second (finish writes at once).
      if (!timer) timer = setTimeout(function () { timer = null; keep(last.data, last.location); }, 1000);
    },
    pre: function (records) { if (normal()) records.forEach(function (r) { send(answered(r)); }); },
    post: function (result) {
      if (!normal()) return;
      result.interactions.forEach(function (r) { send(answered(r)); });
      if (!sent.completed) {
        sent.completed = true;
        send(cmi5Statement("completed", {completion: true, duration: since()}));
      }
      if (!result.counts || sent.passed) return;
      var s = result.score, score = {scaled: s.share, raw: s.correct, min: 0, max: s.total};
      if (s.passed) {
        sent.passed = true;
        send(cmi5Statement("passed", {score: score, success: true, duration: since()}, true));
      } else if (!failedThisSession) {
        failedThisSession = true;
        send(cmi5Statement("failed", {score: score, success: false, duration: since()}, true));
      }
    },
    commit: function () {},
    finish: function () {
      clearTimeout(timer); timer = null;
      keep(last.data, last.location);
      send(cmi5Statement("terminated", {duration: since()}), true).then(function () {
        if (launchData && launchData.returnURL) location.href = launchData.returnURL;
      });
    }
  });
})();
