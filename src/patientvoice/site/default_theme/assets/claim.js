/* patientvoice credit claims: the claim page (/<module>/claim/) and the "Your certificates" box on a module page.
   The claim page reads this browser's stored responses (questionnaire-store.js) to say what is still missing,
   checks the form, POSTs the claim to the collector and remembers the certificate it gets back. Without a
   collector it turns the claim into an e-mail to the provider. The collector decides again on the server. */
(function () {
  "use strict";
  var store = window.patientvoiceStore;
  if (!store) return;
  var $ = function (sel, el) { return (el || document).querySelector(sel); };
  var $$ = function (sel, el) { return [].slice.call((el || document).querySelectorAll(sel)); };
  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text) e.textContent = text;
    if (cls) e.className = cls;
    return e;
  }
  function link(text, href, cls) { var a = el("a", text, cls); a.href = href; return a; }
  function longDate(ms) {
    return new Date(ms).toLocaleDateString("en-GB", {day: "numeric", month: "long", year: "numeric"});
  }
  function certificateItem(c, withModule) {
    var li = el("li");
    li.appendChild(document.createTextNode((withModule ? c.title + ": " : "") + c.credits + " credit" +
      (Number(c.credits) === 1 ? "" : "s") + ", claimed " + longDate(Date.parse(c.claimed)) + " (certificate " +
      c.certificate + "). "));
    li.appendChild(link("Download the certificate (PDF)", c.pdf));
    li.appendChild(document.createTextNode(" · "));
    li.appendChild(link("Verification page", c.verify));
    return li;
  }

  /* The module page: its certificates, when this browser holds any. */
  $$("[data-pv-certificates]").forEach(function (box) {
    var list = $("[data-pv-certificate-list]", box), mine = store.certificates(box.dataset.module);
    mine.forEach(function (c) { list.appendChild(certificateItem(c, false)); });
    box.hidden = !mine.length;
  });

  var root = $("[data-pv-claim]");
  if (!root || !$("[data-pv-claim-form]", root)) return; // no form: the activity awards no credit
  var d = root.dataset, module = d.module, url = d.claimUrl, allowed = Number(d.attempts) || 1;
  var form = $("[data-pv-claim-form]", root), errors = $("[data-pv-errors]", form), status = $("[data-pv-status]", form);
  var learner = store.learner(), st = store.standing(module, learner, allowed, JSON.parse(d.evaluation || "[]"));
  var MONTH_DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]; // 29 February exists in some years
  var EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

  /* Progress: pre-test (optional), post-test under the attempt policy, evaluation; links to what is missing. */
  function step(done, text, href, hrefText) { // done: true, false or "optional"
    var li = el("li", "", "pv-claim__step pv-claim__step--" + (done === true ? "done" : done ? "optional" : "todo"));
    li.appendChild(el("span", done === true ? "Done: " : done ? "Optional: " : "To do: ", "pv-claim__mark"));
    li.appendChild(document.createTextNode(text));
    if (href) { li.appendChild(document.createTextNode(" ")); li.appendChild(link(hrefText, href)); }
    return li;
  }
  function progress() {
    var steps = $("[data-pv-claim-steps]", root), summary = $("[data-pv-claim-summary]", root);
    var counts = allowed === 1 ? "only your first attempt counts for credit" :
      "only your first " + allowed + " attempts count for credit";
    steps.textContent = "";
    steps.appendChild(st.pre ? step(true, "Pre-test taken (optional).") :
      step("optional", "Pre-test not taken. It is not needed for credit, but it shows what the module changed for you.", "../pre/",
        "Take the pre-test"));
    if (st.passed) {
      steps.appendChild(step(true, "Post-test passed on " + longDate(Date.parse(st.passed.response.submitted)) + " (" +
        Math.round(st.passed.score.share * 100) + "%)."));
    } else if (st.exhausted) {
      var li = steps.appendChild(step(false, "Post-test not passed: " + counts + ", so credit for this module can " +
        "no longer be claimed. Contact the provider if you think this is wrong."));
      if (d.contactHref) { li.appendChild(document.createTextNode(" ")); li.appendChild(link(d.contact, d.contactHref)); }
    } else if (st.attempts) {
      steps.appendChild(step(false, "Post-test not passed yet (" + st.attempts + " of " + allowed + " counted " +
        (allowed === 1 ? "attempt" : "attempts") + " used).", "../post/", "Take the post-test again"));
    } else {
      steps.appendChild(step(false, "Post-test not taken yet; " + counts + ".", "../post/", "Take the post-test"));
    }
    steps.appendChild(st.evaluation ? step(true, "Evaluation answered.") :
      step(false, "Evaluation not answered. It is at the end of the post-test.", "../post/#pv-evaluation-heading",
        "Answer the evaluation"));
    summary.textContent = st.eligible ? "You can claim your credit below." :
      "Before you can claim credit, finish what is marked to do. This page reads your progress from the answers " +
      "saved in this browser under learner code " + learner + ": if you took the post-test on another device, " +
      "claim there.";
  }

  /* A claim already made in this browser: show its certificate instead of the form. */
  function showCertificate(c, focus) {
    var box = $("[data-pv-claim-done]", root), body = $("[data-pv-claim-certificate]", box);
    body.textContent = "";
    body.appendChild(el("p", "Your claim was accepted and your certificate is ready. Keep the PDF: the " +
      "verification page lets anyone you show it to check it with the provider."));
    body.appendChild(el("ul")).appendChild(certificateItem(c, false));
    box.hidden = false; form.hidden = true;
    if (focus) box.focus();
  }

  /* The form: read, check, error summary like the questionnaire pages. */
  function val(name) {
    var f = form.elements[name];
    if (!f) return "";
    if (f.type === "checkbox") return f.checked;
    return String(f.value || "").trim();
  }
  function npiValid(n) { // 10 digits with the Luhn check digit over the prefix 80840 (CMS NPI standard)
    if (!/^\d{10}$/.test(n)) return false;
    var digits = ("80840" + n).split("").map(Number), sum = 0;
    for (var i = digits.length - 1, alt = false; i >= 0; i--, alt = !alt) {
      var x = digits[i];
      if (alt) { x *= 2; if (x > 9) x -= 9; }
      sum += x;
    }
    return sum % 10 === 0;
  }
  function check() {
    var problems = [], report = val("consent");
    var add = function (field, text) { problems.push({field: field, text: text}); };
    if (!val("name")) add("name", "Enter your full name as it should appear on your certificate");
    if (!val("email")) add("email", "Enter your e-mail address");
    else if (!EMAIL_RE.test(val("email"))) add("email", "Enter an e-mail address like name@example.org");
    if (!val("profession")) add("profession", "Choose your profession");
    else if (val("profession") === "other" && !val("profession_other")) add("profession_other", "Say what your profession is");
    if (!val("credit_type")) add("credit_type", "Choose the credit type");
    var credits = Number(val("credits")), max = Number(d.creditMax);
    if (!val("credits")) add("credits", "Choose the credit you claim");
    else if (!(credits > 0 && credits <= max && Math.abs(credits * 4 - Math.round(credits * 4)) < 1e-9)) {
      add("credits", "Claim between 0.25 and " + max + " credits in steps of 0.25");
    }
    if (!val("attest")) add("attest", "Tick the box to confirm you claim only the credit for your participation");
    var npi = val("npi").replace(/\s/g, "");
    if (npi && !npiValid(npi)) add("npi", "Enter your NPI as its 10 digits; the number entered is not a valid NPI");
    if (val("licence") && !val("licence_state")) add("licence_state", "Choose the state that issued your licence");
    if (val("licence_state") && !val("licence")) add("licence", "Enter your state licence number, or clear the state");
    if (val("board") && !val("board_id")) add("board_id", "Enter your board ID, or choose None as the board");
    if (val("board_id") && !val("board")) add("board", "Choose the board that issued your board ID");
    var month = Number(val("birth_month")), day = Number(val("birth_day"));
    if (month && day && day > MONTH_DAYS[month - 1]) add("birth_day", "Choose a day that exists in that month");
    if (report) {
      if (!month) add("birth_month", "Choose your birth month: PARS needs it to report your completion");
      if (!day) add("birth_day", "Choose your birth day: PARS needs it to report your completion");
      if (!npi && !val("licence") && !val("board_id")) {
        add("npi", "Enter at least one identifier for reporting: your NPI, a state licence, or a board ID");
      }
    } else if (npi || val("licence") || val("board_id") || month || day) {
      add("consent", "Tick the box to agree to reporting, or clear the reporting identifiers");
    }
    return problems;
  }
  function fieldBox(name) { return $("[data-field='" + name + "']", form); }
  function controls(name) { return $$("[name='" + name + "']", form); }
  function clearErrors() {
    errors.textContent = ""; errors.classList.remove("pv-q__errors--shown");
    $$(".pv-q__field-error", form).forEach(function (m) { m.remove(); });
    $$("[aria-invalid]", form).forEach(function (c) {
      c.removeAttribute("aria-invalid");
      var by = (c.getAttribute("aria-describedby") || "").split(" ").filter(function (x) {
        return x && !/-error$/.test(x);
      }).join(" ");
      if (by) c.setAttribute("aria-describedby", by); else c.removeAttribute("aria-describedby");
    });
    $$(".pv-claim__field--invalid", form).forEach(function (b) { b.classList.remove("pv-claim__field--invalid"); });
  }
  function showErrors(problems, heading) {
    clearErrors();
    errors.appendChild(el("h2", heading || (problems.length === 1 ? "There is a problem" :
      "There are " + problems.length + " problems")));
    var list = errors.appendChild(el("ul"));
    problems.forEach(function (p) {
      var box = p.field && fieldBox(p.field), li = list.appendChild(el("li"));
      if (!box) { li.textContent = p.text; return; }
      var first = controls(p.field).filter(function (c) { return c.checked; })[0] || controls(p.field)[0];
      var a = li.appendChild(link(p.text, "#" + first.id));
      a.addEventListener("click", function (e) { e.preventDefault(); first.focus(); box.scrollIntoView({block: "center"}); });
      var id = "pv-" + p.field + "-error";
      if (!document.getElementById(id)) {
        var msg = el("p", p.text + ".", "pv-q__field-error");
        msg.id = id;
        if (box.classList.contains("pv-option")) box.insertAdjacentElement("beforebegin", msg); // a checkbox row
        else ($("legend", box) || $(".pv-claim__label", box) || $("label", box)).insertAdjacentElement("afterend", msg);
        box.classList.add("pv-claim__field--invalid");
        controls(p.field).forEach(function (c) {
          c.setAttribute("aria-invalid", "true");
          c.setAttribute("aria-describedby", ((c.getAttribute("aria-describedby") || "") + " " + id).trim());
        });
      }
    });
    errors.classList.add("pv-q__errors--shown");
    errors.focus();
  }

  /* The claim object of the collector's contract; reporting identifiers only with consent. */
  function claim() {
    var c = {activity: d.activity, module: module, learner: learner, name: val("name"), email: val("email"),
      profession: val("profession"), credit_type: val("credit_type"), credits: Number(val("credits")), attest: true,
      report: {consent: !!val("consent")}};
    if (c.profession === "other") c.profession_other = val("profession_other");
    if (c.report.consent) {
      var r = c.report, npi = val("npi").replace(/\s/g, "");
      if (npi) r.npi = npi;
      if (val("licence")) { r.licence = val("licence"); r.licence_state = val("licence_state"); }
      if (val("board")) { r.board = val("board"); r.board_id = val("board_id"); }
      r.birth_month = Number(val("birth_month")); r.birth_day = Number(val("birth_day"));
    }
    return c;
  }
  function say(text) { status.textContent = ""; if (text) status.appendChild(el("p", text)); }

  /* No collector: the claim as an e-mail to the provider, and the paper form. */
  function mailRoute(c) {
    var box = $("[data-pv-claim-mail]", root), label = $("label[for='pv-profession-" + c.profession + "']", form);
    var lines = ["Credit claim", "Activity: " + d.title + " (" + c.activity + ")", "Learner code: " + c.learner,
      "Name on certificate: " + c.name, "E-mail: " + c.email,
      "Profession: " + (c.profession === "other" ? c.profession_other : label.textContent),
      "Credit: " + c.credits + " " + $("label[for='pv-credit-type-" + c.credit_type + "']", form).textContent,
      "Attestation: " + $("label[for='pv-attest']", form).textContent,
      "Report to ACCME PARS and my board: " + (c.report.consent ? "yes" : "no")];
    var r = c.report;
    if (r.npi) lines.push("NPI: " + r.npi);
    if (r.licence) lines.push("State licence: " + r.licence + " (" + r.licence_state + ")");
    if (r.board) lines.push("Board: " + r.board + ", ID " + r.board_id);
    if (r.birth_month) lines.push("Birth month and day: " + r.birth_month + "/" + r.birth_day);
    box.textContent = "";
    box.appendChild(el("h3", "Your claim is ready to send"));
    var body = lines.join("\r\n"), mail = /^mailto:/.test(d.contactHref); // the contact is an e-mail address
    box.appendChild(el("p", mail ? "Send it to the provider by e-mail; they check your answers and send your " +
      "certificate. Your e-mail program opens with the claim written out; nothing is sent until you send it." :
      "Send it to the provider (" + (d.contact || "see the activity information") + "); they check your answers " +
      "and send your certificate."));
    if (mail) {
      box.appendChild(el("p")).appendChild(link("E-mail my claim to " + d.contact, d.contactHref + "?subject=" +
        encodeURIComponent("Credit claim: " + c.activity + ", learner " + c.learner) + "&body=" +
        encodeURIComponent(body), "md-button md-button--primary"));
    }
    box.appendChild(el("pre", body, "pv-claim__text"));
    box.hidden = false;
    box.focus();
  }

  function submit(c) {
    var button = $("[data-pv-claim-submit]", form);
    button.disabled = true;
    say("Sending your claim to the provider…");
    fetch(url, {method: "POST", headers: {"Content-Type": "application/json"}, credentials: "omit",
      body: JSON.stringify(c)}).then(function (res) {
      return res.text().then(function (text) {
        var body = null;
        try { body = JSON.parse(text); } catch (e) { /* not JSON: said below */ }
        return {status: res.status, ok: res.ok, body: body};
      });
    }).then(function (r) {
      button.disabled = false;
      if (r.ok && r.body && r.body.certificate) {
        var cert = {certificate: r.body.certificate, pdf: new URL(r.body.pdf, url).href,
          verify: new URL(r.body.verify, url).href, module: module, activity: c.activity, title: d.title,
          credits: c.credits, claimed: new Date().toISOString()};
        store.addCertificate(cert);
        document.dispatchEvent(new CustomEvent("patientvoice:certificate", {detail: cert})); // journey.js ticks the claim
        say("");
        return showCertificate(cert, true);
      }
      say("");
      if (r.status >= 400 && r.status < 500) {
        var why = r.body && r.body.error ? String(r.body.error) : "no reason given (" + r.status + ")";
        return showErrors([{text: why}], "The provider did not accept your claim");
      }
      showErrors([{text: "The provider's server had a problem (" + r.status + "). Your claim was not recorded; " +
        "try again in a few minutes."}], "Your claim was not sent");
    }, function () {
      button.disabled = false; say("");
      showErrors([{text: "The provider's server could not be reached. Check your connection and try again; " +
        "nothing you entered is lost."}], "Your claim was not sent");
    });
  }

  form.addEventListener("change", function (e) {
    if (e.target.name === "profession") $("[data-pv-other]", form).hidden = e.target.value !== "other";
  });
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var problems = check();
    if (problems.length) return showErrors(problems);
    clearErrors();
    var c = claim();
    if (url) submit(c); else mailRoute(c);
  });

  // A post-test still queued in this browser must reach the collector before the claim can be decided there.
  store.flush(d.submitUrl);
  $("[data-pv-code]", form).textContent = learner;
  progress();
  var done = store.certificates(module).filter(function (c) { return c.activity === d.activity; }).pop();
  if (done) {
    showCertificate(done, false);
    $("[data-pv-claim-summary]", root).textContent = "You have claimed credit for this module from this browser.";
  } else form.hidden = !st.eligible;
})();
