/* patientvoice: the learner's journey. Ticks the steps of the step indicator (site/journey.py) that this browser
   knows are done, from what questionnaire-store.js keeps; on the post-test, suggests the pre-test when this
   browser has none; opens the activity information for printing. Without it the steps are still plain links. */
(function () {
  "use strict";
  var store = window.patientvoiceStore;
  var details = [].slice.call(document.querySelectorAll("[data-pv-activity-details]"));
  // The activity information is part of the accredited activity: a printed page shows it in full.
  window.addEventListener("beforeprint", function () { details.forEach(function (el) { el.open = true; }); });
  [].forEach.call(document.querySelectorAll("[data-pv-open-details]"), function (a) {
    a.addEventListener("click", function () { details.forEach(function (el) { el.open = true; }); });
  });
  var nav = document.querySelector("[data-pv-journey]");
  if (!nav || !store) return;
  var d = nav.dataset, module = d.module, readKey = "read:" + module, skipKey = "skip-pre:" + module;
  var evaluation = JSON.parse(d.evaluation || "[]"), attempts = Number(d.attempts) || 1;

  /* Each step's state: "done", "partial" (with a word on what is missing) or "" (not started). */
  function states() {
    var learner = store.learner(), st = store.standing(module, learner, attempts, evaluation);
    var mine = store.records().filter(function (r) {
      return r.response.module === module && r.response.learner === learner;
    });
    var post = st.eligible ? ["done", "passed"] : st.passed ? ["partial", "evaluation to finish"] :
      st.posts.length ? ["partial", st.exhausted ? "not passed" : "not passed yet"] : ["", ""];
    return {
      pre: st.pre ? ["done", "done"] : ["", ""],
      module: store.load(readKey, false) || st.posts.length ? ["done", "read"] : ["", ""],
      post: post,
      claim: store.certificates(module).length ? ["done", "certificate issued"] : ["", ""],
      "follow-up": mine.some(function (r) { return r.response.phase === "follow-up"; }) ? ["done", "done"] : ["", ""]
    };
  }
  function render() {
    var now = states();
    [].forEach.call(nav.querySelectorAll("[data-step]"), function (li) {
      var s = now[li.dataset.step] || ["", ""], mark = li.querySelector("[data-pv-mark]");
      var state = li.querySelector("[data-pv-state]"), current = li.dataset.step === d.current;
      li.classList.toggle("pv-journey__step--done", s[0] === "done");
      li.classList.toggle("pv-journey__step--partial", s[0] === "partial");
      li.dataset.state = s[0] || "todo";
      mark.textContent = s[0] === "done" ? "✓" : s[0] === "partial" ? "!" : String([].indexOf.call(li.parentNode.children, li) + 1);
      var said = [s[1] || "not done yet"];
      if (current) said.push("this page");
      state.textContent = "";
      var hidden = document.createElement("span");
      hidden.className = "pv-visually-hidden";
      hidden.textContent = " (" + said.join(", ") + ")";
      state.appendChild(hidden);
    });
    var hint = document.querySelector("[data-pv-pre-hint]");
    if (hint) hint.hidden = now.pre[0] === "done" || !!now.post[0] || store.load(skipKey, false);
  }

  // The module counts as read once its end (the next-step link) has been on screen.
  var end = document.querySelector("[data-pv-next='module']");
  if (end && "IntersectionObserver" in window) {
    new IntersectionObserver(function (entries, observer) {
      if (!entries.some(function (e) { return e.isIntersecting; })) return;
      store.save(readKey, true); observer.disconnect(); render();
    }).observe(end);
  }
  var skip = document.querySelector("[data-pv-skip-pre]");
  if (skip) skip.addEventListener("click", function () { store.save(skipKey, true); render(); });
  document.addEventListener("patientvoice:submit", render);
  document.addEventListener("patientvoice:certificate", render);
  window.addEventListener("storage", render); // another tab submitted or claimed
  render();
})();
