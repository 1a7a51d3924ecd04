/* patientvoice questionnaires, part 2: the page. Shows the learner code, saves answers as the learner goes,
   checks required items, builds the content format's response object on submit, scores the post-test from the
   key on that page under the course's attempt policy (data-attempts, data-show-key: the key and rationales only
   after a pass or the last counted attempt, by default), and keeps the follow-up closed until it opens. Storage
   lives in questionnaire-store.js. The key is in this page's HTML, so this is a courtesy to honest learners,
   not a secret (docs/questionnaires.md); the collector numbers attempts itself. */
(function () {
  "use strict";
  var root = document.querySelector("[data-pv-questionnaire]"), store = window.patientvoiceStore;
  if (!root || !store) return;
  var DAY = 864e5;
  var d = root.dataset, module = d.module, phase = d.phase, url = d.submitUrl;
  var followUp = /^follow-up(-\d+)?$/.test(phase); // every follow-up wave: follow-up, follow-up-2, ...
  var form = root.querySelector("form.pv-questionnaire");
  var $ = function (sel, el) { return (el || root).querySelector(sel); };
  var $$ = function (sel, el) { return [].slice.call((el || root).querySelectorAll(sel)); };
  var items = $$("[data-item]", form);
  var errors = $("[data-pv-errors]"), status = $("[data-pv-status]"), result = $("[data-pv-result]");
  var again = $("[data-pv-again]"), codeInput = $("#pv-code-input"), codeError = $("[data-pv-code-error]");
  var keyEl = document.getElementById("pv-key"), key = keyEl ? JSON.parse(keyEl.textContent) : null;
  var draftKey = "draft:" + module + ":" + phase, elsewhereKey = "elsewhere:" + module;
  var learner = store.learner(), locked = false, retaking = false;

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text) e.textContent = text;
    if (cls) e.className = cls;
    return e;
  }
  function longDate(ms) {
    return new Date(ms).toLocaleDateString("en-GB", {day: "numeric", month: "long", year: "numeric"});
  }
  function say(text) { status.textContent = ""; if (text) status.appendChild(el("p", text)); }

  /* Learner code: shown with a copy button; a code from another device can be typed in. */
  function showCode() { $("[data-pv-code]").textContent = learner; }
  $("[data-pv-learner]").hidden = false;
  showCode();
  $("[data-pv-copy]").addEventListener("click", function () {
    var said = $("[data-pv-copy-status]");
    var manual = function () { // the clipboard needs a secure context; select the code so Ctrl+C works
      var r = document.createRange(), sel = getSelection();
      r.selectNodeContents($("[data-pv-code]")); sel.removeAllRanges(); sel.addRange(r);
      said.textContent = "Selected: press Ctrl+C (or Cmd+C) to copy";
    };
    if (!navigator.clipboard || !window.isSecureContext) return manual();
    navigator.clipboard.writeText(learner).then(function () { said.textContent = "Copied " + learner; }, manual);
  });
  $("[data-pv-code-form]").addEventListener("submit", function (e) {
    e.preventDefault();
    var code = store.parseCode(codeInput.value);
    codeError.hidden = !!code;
    codeInput.setAttribute("aria-describedby", code ? "pv-code-hint" : "pv-code-error pv-code-hint");
    if (!code) {
      codeError.textContent = "That is not a learner code. Enter 8 letters or digits like K7QF-3M9X, " +
        "without 0, O, 1 or I.";
      codeInput.setAttribute("aria-invalid", "true");
      return codeInput.focus();
    }
    codeInput.removeAttribute("aria-invalid");
    learner = code; store.save("learner", code); showCode(); codeInput.value = "";
    if (followUp) store.save(elsewhereKey, true);
    $("[data-pv-code-entry]").open = false;
    if (!store.latest(module, phase) || retaking) openForm();
    say("Your learner code is now " + code + ". Answers you submit from now on are filed under it.");
    status.focus(); // the details element just closed around the focused input
  });

  /* Answers: option and scale indexes, lists for multiple choice, strings for text. */
  function read(item, trim) {
    var kind = item.dataset.kind, area = $("textarea", item);
    if (area) { var v = trim ? area.value.trim() : area.value; return v ? v : undefined; }
    var on = $$("input:checked", item).map(function (i) { return Number(i.value); });
    if (!on.length) return undefined;
    return kind === "multiple" ? on : on[0];
  }
  function readAll(trim) {
    var a = {};
    items.forEach(function (item) { var v = read(item, trim); if (v !== undefined) a[item.dataset.item] = v; });
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
    locked = on;
    $$("input, textarea, button", form).forEach(function (c) { c.disabled = on; });
    $("[data-pv-reset]").hidden = on;
    $("[data-pv-saved]").hidden = on;
  }

  /* Required items: an error summary (role=alert) linking to each field, and the fields marked invalid. */
  function clearError(item) {
    var msg = $(".pv-q__field-error", item);
    if (msg) msg.remove();
    item.classList.remove("pv-item--invalid");
    item.removeAttribute("aria-describedby");
    $$("input", item).forEach(function (i) { i.removeAttribute("aria-invalid"); });
  }
  function clearErrors() { errors.textContent = ""; errors.classList.remove("pv-q__errors--shown"); items.forEach(clearError); }
  function showErrors(missing) {
    clearErrors();
    errors.appendChild(el("h2", missing.length === 1 ? "There is a problem" : "There are " + missing.length + " problems"));
    errors.appendChild(el("p", "Answer these questions before you submit:"));
    var list = errors.appendChild(el("ul"));
    missing.forEach(function (item) {
      var number = items.indexOf(item) + 1, id = "item-" + item.dataset.item + "-error";
      var a = list.appendChild(el("li")).appendChild(el("a", "Question " + number + " has no answer"));
      a.href = "#item-" + item.dataset.item;
      a.addEventListener("click", function (e) {
        e.preventDefault();
        ($("input:checked", item) || $("input", item)).focus();
        item.scrollIntoView({block: "center"});
      });
      var msg = el("p", (item.dataset.kind === "multiple" ? "Choose at least one answer to question " :
        "Choose an answer to question ") + number + ".", "pv-q__field-error");
      msg.id = id;
      $("legend", item).insertAdjacentElement("afterend", msg);
      item.classList.add("pv-item--invalid");
      item.setAttribute("aria-describedby", id);
      $$("input", item).forEach(function (i) { i.setAttribute("aria-invalid", "true"); });
    });
    errors.classList.add("pv-q__errors--shown");
    errors.focus();
  }

  form.addEventListener("input", function (e) {
    if (locked) return;
    store.save(draftKey, readAll(false));
    var item = e.target.closest("[data-item]");
    if (item && item.classList.contains("pv-item--invalid") && read(item, true) !== undefined) clearError(item);
  });
  $("[data-pv-reset]").addEventListener("click", function () {
    store.drop(draftKey); fill({}); clearErrors();
    say("Your answers on this page were cleared.");
  });
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    if (locked) return;
    var missing = items.filter(function (i) { return i.hasAttribute("data-required") && read(i, true) === undefined; });
    if (missing.length) return showErrors(missing);
    clearErrors();
    var response = {activity: d.activity, module: module, phase: phase, learner: learner,
      submitted: new Date().toISOString().replace(/\.\d+Z$/, "Z"), answers: readAll(true)};
    var record = {response: response, status: url ? "queued" : "local"};
    if (key) { // the claim page reads the score; the attempt number is this browser's count (the collector counts again)
      record.score = scoreOf(response.answers);
      record.attempt = response.attempt = myPosts().length + 1;
    }
    store.add(record); store.drop(draftKey);
    retaking = false;
    submittedView(record, true);
    document.dispatchEvent(new CustomEvent("patientvoice:submit", {detail: JSON.parse(JSON.stringify(response))}));
    store.flush(url, delivered);
  });
  again.addEventListener("click", function () {
    retaking = true; again.hidden = true; result.hidden = true;
    clearMarks();
    fill(store.load(draftKey, {})); lock(false); say(""); // a retake left half done is a draft like any other
    $("input, textarea", form).focus();
  });

  /* Post-test feedback from the key on the page; the collector scores again for credit. */
  function right(expected, given) {
    var sorted = function (a) { return a.slice().sort(function (x, y) { return x - y; }).join(); };
    return Array.isArray(expected) ? Array.isArray(given) && sorted(given) === sorted(expected) : given === expected;
  }
  function scoreOf(answers) {
    var ids = Object.keys(key.items), correct = 0;
    ids.forEach(function (id) { if (right(key.items[id].answer, answers[id])) correct += 1; });
    var share = ids.length ? correct / ids.length : 1;
    return {correct: correct, total: ids.length, share: share, passed: share >= key.pass_mark - 1e-9};
  }
  /* The attempt policy as this browser sees it: the learner's post-tests here, oldest first, each numbered. */
  function myPosts() {
    return store.records().filter(function (r) {
      return r.response.module === module && r.response.phase === "post" && r.response.learner === learner;
    });
  }
  function attemptOf(r) {
    var n = myPosts().findIndex(function (x) { return x.response.submitted === r.response.submitted; });
    return r.attempt || (n >= 0 ? n + 1 : 1);
  }
  /* Whether the key and rationales may be shown with this attempt: always, never, or (the default) once an
     attempt up to this one passed or this is the last attempt that counts. */
  function reveal(r, passedNow) {
    var allowed = Number(d.attempts) || 1, n = attemptOf(r);
    if (d.showKey === "always") return true;
    if (d.showKey === "never") return false;
    return passedNow || n >= allowed || myPosts().some(function (x) {
      return attemptOf(x) < n && x.score && x.score.passed;
    });
  }
  /* Under the attempt policy: a link to the claim page once a counted attempt passed, or why this one cannot. */
  function claimLine(passedNow) {
    var evalIds = items.filter(function (i) {
      return i.dataset.item.indexOf("eval-") === 0 && i.hasAttribute("data-required");
    }).map(function (i) { return i.dataset.item; });
    var allowed = Number(d.attempts) || 1, st = store.standing(module, learner, allowed, evalIds);
    var p = el("p", "", "pv-q__claim");
    if (st.eligible) {
      var a = p.appendChild(el("a", "Claim your credit", "md-button md-button--primary"));
      a.href = "../claim/";
      return p;
    }
    var counts = allowed === 1 ? "Only your first attempt at the post-test counts for credit" :
      "Only your first " + allowed + " attempts at the post-test count for credit";
    if (passedNow && !st.passed) p.textContent = counts + ", so this attempt cannot earn credit.";
    else if (!passedNow && st.exhausted) p.textContent = counts + ". You can still take it again to learn, " +
      "but credit for this module can no longer be claimed.";
    else return null;
    return p;
  }
  /* The marks feedback() adds: verdict boxes, "Your answer" and "Correct answer" tags, option highlights. */
  function clearMarks() {
    $$(".pv-feedback, .pv-option__key, .pv-option__yours", form).forEach(function (f) { f.remove(); });
    $$(".pv-option", form).forEach(function (o) {
      o.classList.remove("pv-option--yours", "pv-option--right", "pv-option--wrong", "pv-option--correct");
    });
  }
  function optionText(id, n) { var l = $("label[for='q-" + id + "-" + n + "']"); return l ? l.textContent : ""; }
  /* The learner's own choice is always marked (it is theirs); whether it was right, option by option, and the
     correct answer only when the attempt policy reveals the key. */
  function markOptions(id, item, k, chosen, shown) {
    var answer = [].concat(k.answer);
    chosen.forEach(function (n) {
      var label = $("label[for='q-" + id + "-" + n + "']", item), good = answer.indexOf(n) >= 0;
      if (!label) return;
      label.parentNode.classList.add("pv-option--yours");
      if (shown) label.parentNode.classList.add(good ? "pv-option--right" : "pv-option--wrong");
      label.appendChild(el("span", shown ? (good ? "Your answer, correct" : "Your answer, not correct") :
        "Your answer", "pv-option__yours"));
    });
    if (!shown) return;
    answer.forEach(function (n) {
      var label = $("label[for='q-" + id + "-" + n + "']", item);
      if (!label) return;
      label.parentNode.classList.add("pv-option--correct");
      label.appendChild(el("span", " correct answer", "pv-option__key"));
    });
  }
  function feedback(r, focus) {
    clearMarks();
    var answers = r.response.answers, ids = Object.keys(key.items), score = 0;
    ids.forEach(function (id) { if (right(key.items[id].answer, answers[id])) score += 1; });
    var share = ids.length ? score / ids.length : 1, passed = share >= key.pass_mark - 1e-9;
    var shown = reveal(r, passed);
    root.dataset.keyShown = shown ? "true" : "false";
    ids.forEach(function (id) {
      var k = key.items[id], item = document.getElementById("item-" + id), ok = right(k.answer, answers[id]);
      var chosen = answers[id] === undefined ? [] : [].concat(answers[id]);
      var said = function (list) { return list.map(function (n) { return optionText(id, n); }).join("; "); };
      var yours = chosen.length ? said(chosen) : "none", correct = said([].concat(k.answer)); // before the tags
      markOptions(id, item, k, chosen, shown);
      var box = item.appendChild(el("div", "", "pv-feedback pv-feedback--" + (ok ? "right" : "wrong")));
      if (!shown) { // which questions were wrong, never which option is right
        box.appendChild(el("p", ok ? "Correct." : "Not right: look at this question again.", "pv-feedback__verdict"));
        return;
      }
      box.appendChild(el("p", ok ? "Correct." : "Not quite.", "pv-feedback__verdict"));
      if (!ok) {
        var mine = box.appendChild(el("p", "", "pv-feedback__yours"));
        mine.appendChild(el("strong", "Your answer: "));
        mine.appendChild(document.createTextNode(yours));
        var theirs = box.appendChild(el("p", "", "pv-feedback__correct"));
        theirs.appendChild(el("strong", "Correct answer: "));
        theirs.appendChild(document.createTextNode(correct));
      }
      var why = box.appendChild(el("p", "", "pv-feedback__rationale"));
      why.appendChild(el("strong", "Why: "));
      why.appendChild(document.createTextNode(k.rationale));
    });
    var allowed = Number(d.attempts) || 1, n = attemptOf(r);
    var next = shown ? "Read the reasoning below, then take the post-test again." :
      d.showKey === "never" ? "The questions marked “Not right” need another look." :
      "The questions marked “Not right” need another look. The correct answers and explanations are shown " +
      "once you pass, or after attempt " + allowed + " (this was attempt " + n + ").";
    result.textContent = "";
    result.className = "pv-q__result pv-q__result--" + (passed ? "passed" : "failed");
    result.appendChild(el("h2", "Your result"));
    result.appendChild(el("p", "You answered " + score + " of " + ids.length + " knowledge questions correctly (" +
      Math.round(share * 100) + "%). The pass mark is " + Math.round(key.pass_mark * 100) + "%: " +
      (passed ? "you passed." : "you have not passed yet. " + next)));
    result.appendChild(el("p", "This score is worked out in your browser. The provider scores your submitted " +
      "answers again before awarding credit."));
    var claim = claimLine(passed);
    if (claim) result.appendChild(claim);
    result.hidden = false;
    if (focus) result.focus();
  }

  /* The page's states: submitted (read only), follow-up not open yet, or open for answers. */
  function deliveryText(r) {
    return "You submitted this on " + longDate(Date.parse(r.response.submitted)) + ". " + {
      local: "Your answers are saved in this browser only; download them below to send them to the provider.",
      queued: "Your answers are saved in this browser but have not reached the provider yet, perhaps because " +
        "you are offline. This page keeps trying to send them.",
      received: "Your answers were sent to the provider and received.",
      rejected: "The provider's server did not accept your answers (" + (r.error || "no reason given") +
        "). Download them below and send them to the provider."
    }[r.status];
  }
  function submittedView(r, justNow) {
    fill(r.response.answers); lock(true);
    say(deliveryText(r));
    if (key) { feedback(r, justNow); again.hidden = false; again.disabled = false; }
    else if (justNow) status.focus(); // tell keyboard and screen reader users what happened
    showResponses();
  }
  function delivered() {
    var mine = store.latest(module, phase);
    if (locked && mine && !retaking && status.textContent !== deliveryText(mine)) say(deliveryText(mine));
    showResponses();
  }
  function gate() {
    var box = $("[data-pv-gate]"), post = store.latest(module, "post"), days = Number(d.followUpDays);
    box.textContent = ""; box.hidden = true;
    if (!followUp) return false;
    if (post) {
      var opens = Date.parse(post.response.submitted) + days * DAY;
      if (Date.now() >= opens) return false;
      box.appendChild(el("p", "The follow-up opens on " + longDate(opens) + ", " + days + " days after you " +
        "submitted the post-test in this browser. Come back then; your answers will be filed under your code."));
    } else if (!store.load(elsewhereKey, false)) {
      box.appendChild(el("p", "This browser has no post-test for this module. If you took the post-test on " +
        "another device, enter the learner code you were given there, then answer the follow-up here. " +
        "Otherwise, take the post-test first."));
      var b = box.appendChild(el("button", "Enter my code from another device", "md-button pv-q__small"));
      b.type = "button";
      b.addEventListener("click", function () { $("[data-pv-code-entry]").open = true; codeInput.focus(); });
    } else return false;
    box.hidden = false;
    return true;
  }
  function openForm() { fill(store.load(draftKey, {})); lock(gate()); }
  function showResponses() {
    var n = store.records().length, sec = $("[data-pv-responses]");
    sec.hidden = false;
    $("[data-pv-count]", sec).textContent = n ? "This browser holds " + n + (n === 1 ? " response" : " responses") +
      " you submitted, for all modules. Download them to keep a copy or to send them to the provider." :
      "You have not submitted any responses in this browser yet.";
    $$("[data-pv-download]", sec).forEach(function (b) { b.disabled = !n; });
  }
  $$("[data-pv-download]").forEach(function (b) {
    b.addEventListener("click", function () { store.download(b.dataset.pvDownload); });
  });

  if (key) { // post-tests stored before scores were kept: score them now, so the claim page can count them
    var all = store.records(), changed = false;
    all.forEach(function (r) {
      if (r.response.module === module && r.response.phase === "post" && !r.score) {
        r.score = scoreOf(r.response.answers); changed = true;
      }
    });
    if (changed) store.save("responses", all);
  }
  var mine = store.latest(module, phase);
  if (mine) submittedView(mine, false);
  else { openForm(); showResponses(); }
  store.online(url, delivered);
  store.flush(url, delivered);
})();
