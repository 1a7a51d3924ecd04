/* patientvoice: small progressive enhancements. Everything works without this script. */
(function () {
  "use strict";
  // Story library filter: hide stories that do not match the chosen condition and segment.
  document.querySelectorAll("[data-pv-filter]").forEach(function (form) {
    var list = document.querySelector(".pv-library");
    var count = form.querySelector("[data-pv-count]");
    function apply() {
      var condition = form.elements.condition.value, segment = form.elements.segment.value, shown = 0;
      list.querySelectorAll(".pv-library__item").forEach(function (item) {
        var ok = (!condition || item.dataset.condition === condition) &&
                 (!segment || item.dataset.segments.split(" ").indexOf(segment) >= 0);
        item.hidden = !ok;
        if (ok) shown += 1;
      });
      count.textContent = shown ? shown + (shown === 1 ? " story" : " stories") :
        "No stories match both choices. Choose another condition or segment, or show all stories.";
      reset.hidden = !condition && !segment; // a way back whenever a filter is on, not only at zero
    }
    var reset = form.querySelector("[data-pv-filter-reset]");
    form.addEventListener("reset", function () { setTimeout(apply, 0); }); // after the form has reset its fields
    form.addEventListener("change", apply);
    form.addEventListener("submit", function (e) { e.preventDefault(); });
  });
  // A page outside the navigation (a story) marks its section (the story library) as where the reader is.
  document.querySelectorAll("[data-pv-nav-parent]").forEach(function (el) {
    var parent = new URL(el.dataset.pvNavParent, location.href).href;
    document.querySelectorAll(".md-nav__link[href]").forEach(function (a) {
      if (a.href !== parent) return;
      a.classList.add("md-nav__link--active");
      a.setAttribute("aria-current", "location");
    });
  });
})();
